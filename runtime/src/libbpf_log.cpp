#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <sstream>
#include <vector>

namespace inxpect {
namespace {

std::string g_text;

int collect(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  va_list again;
  va_copy(again, args);
  int n = vsnprintf(nullptr, 0, fmt, args);  // the verifier log comes as one long string
  if (n > 0) {
    std::string buf(static_cast<size_t>(n) + 1, '\0');
    vsnprintf(buf.data(), buf.size(), fmt, again);
    buf.pop_back();
    g_text += buf;
  }
  va_end(again);
  return n;
}

int silent(enum libbpf_print_level, const char*, va_list) { return 0; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

}  // namespace

LibbpfLog::LibbpfLog() {
  g_text.clear();
  libbpf_set_print(collect);
}

LibbpfLog::~LibbpfLog() { libbpf_set_print(silent); }

// libbpf frames the verifier log with these markers.
constexpr char kBegin[] = "-- BEGIN PROG LOAD LOG --", kEnd[] = "-- END PROG LOAD LOG --";

bool LibbpfLog::has_verifier_log() const { return g_text.find(kBegin) != std::string::npos; }

std::string LibbpfLog::tail(unsigned n) const {
  std::string text = g_text;
  size_t b = text.rfind(kBegin);
  if (b != std::string::npos) {
    b += sizeof(kBegin) - 1;
    size_t e = text.find(kEnd, b);
    text = text.substr(b, e == std::string::npos ? std::string::npos : e - b);
  }
  std::vector<std::string> lines = lines_of(text);
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); i++)
    out += "  " + lines[i] + "\n";
  return out;
}

}  // namespace inxpect
