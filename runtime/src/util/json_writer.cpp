#include "libinxpect/json_writer.h"

#include <cmath>
#include <cstdio>

#include "libinxpect/escape.h"

namespace inxpect {

std::string json_quote(std::string_view s) {
  std::string o = "\"";
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    size_t n = utf8_length(s, i);
    if (n == 0) {
      o += "\\ufffd";
      i++;
      continue;
    }
    // C1 controls (U+0080 to U+009F) drive terminals too.
    if (n == 2 && static_cast<unsigned char>(c) == 0xc2 &&
        static_cast<unsigned char>(s[i + 1]) < 0xa0) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned char>(s[i + 1]));
      o += buf;
      i += 2;
      continue;
    }
    if (n > 1) {
      o.append(s.substr(i, n));
      i += n;
      continue;
    }
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      case '\r': o += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          o += buf;
        } else {
          o += c;
        }
    }
    i++;
  }
  return o + "\"";
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ << ',';
    first_.back() = false;
  }
  if (break_) out_ << '\n';
  break_ = false;
}

JsonWriter& JsonWriter::raw(std::string_view text) {
  before_value();
  out_ << text;
  return *this;
}

JsonWriter& JsonWriter::begin_object() {
  raw("{");
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  first_.pop_back();
  out_ << '}';
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  raw("[");
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  first_.pop_back();
  out_ << ']';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  raw(json_quote(name));
  out_ << ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) { return raw(json_quote(s)); }
JsonWriter& JsonWriter::value(bool b) { return raw(b ? "true" : "false"); }
JsonWriter& JsonWriter::null() { return raw("null"); }
JsonWriter& JsonWriter::integer(int64_t v) { return raw(std::to_string(v)); }
JsonWriter& JsonWriter::unsigned_integer(uint64_t v) { return raw(std::to_string(v)); }

JsonWriter& JsonWriter::value(double v) {
  if (!std::isfinite(v)) return null();
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return raw(buf);
}

JsonWriter& JsonWriter::line_break() {
  break_ = true;
  return *this;
}

}  // namespace inxpect
