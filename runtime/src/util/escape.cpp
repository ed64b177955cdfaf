#include "libinxpect/escape.h"

#include <cstdint>
#include <cstdio>

namespace inxpect {
namespace {

void hex_byte(std::string& out, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "\\x%02x", c);
  out += buf;
}

// Bytes at the end of `s` that may begin a UTF-8 sequence not yet complete.
size_t incomplete_tail(std::string_view s) {
  for (size_t back = 1; back <= 3 && back <= s.size(); back++) {
    auto c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xc0) == 0x80) continue;  // a continuation byte: look further back
    size_t need = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

}  // namespace

size_t utf8_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; k++)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  uint32_t cp = n == 1 ? c : c & (0x7f >> n);
  for (size_t k = 1; k < n; k++) cp = (cp << 6) | (byte(i + k) & 0x3f);
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;  // overlong, surrogate
  return n;
}

std::string escape_controls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = utf8_length(s, i);
    bool c1 = n == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0;
    if (n == 0 || c1 || (n == 1 && ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f))) {
      size_t bad = n ? n : 1;
      for (size_t k = 0; k < bad; k++) hex_byte(out, static_cast<unsigned char>(s[i + k]));
      i += bad;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

bool EscapingStreambuf::emit(size_t n) {
  std::string out = escape_controls(std::string_view(pending_).substr(0, n));
  pending_.erase(0, n);
  return to_->sputn(out.data(), static_cast<std::streamsize>(out.size())) ==
         static_cast<std::streamsize>(out.size());
}

EscapingStreambuf::int_type EscapingStreambuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof()))
    return sync() == 0 ? traits_type::not_eof(c) : traits_type::eof();
  pending_ += traits_type::to_char_type(c);
  if (c == '\n' && !emit(pending_.size())) return traits_type::eof();
  return c;
}

std::streamsize EscapingStreambuf::xsputn(const char* s, std::streamsize n) {
  pending_.append(s, static_cast<size_t>(n));
  size_t nl = pending_.rfind('\n');
  if (nl != std::string::npos && !emit(nl + 1)) return 0;
  return n;
}

int EscapingStreambuf::sync() {
  // A sequence cut by the flush waits for its end.
  if (!emit(pending_.size() - incomplete_tail(pending_))) return -1;
  return to_->pubsync();
}

}  // namespace inxpect
