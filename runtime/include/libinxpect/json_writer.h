// The one JSON writer: every JSON the runtime, the CLI and the bench print
// goes through it, so escaping (control characters, invalid UTF-8) and
// number formatting live in one place.  Streaming and compact: no document
// is built in memory.
//
//   JsonWriter w(std::cout);
//   w.begin_object().field("name", "drop").key("runs").begin_array();
//   w.value(1).value(2).end_array().end_object();
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace inxpect {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The next value is this member's.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  // Non-finite numbers are written as null; others with 6 significant digits.
  JsonWriter& value(double v);
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  JsonWriter& value(T v) {
    if constexpr (std::is_signed_v<T>)
      return integer(static_cast<int64_t>(v));
    else
      return unsigned_integer(static_cast<uint64_t>(v));
  }
  template <class T>
  JsonWriter& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  JsonWriter& null();

  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  // A line break before the next element, for long arrays read by people.
  JsonWriter& line_break();

 private:
  JsonWriter& integer(int64_t v);
  JsonWriter& unsigned_integer(uint64_t v);
  void before_value();
  JsonWriter& raw(std::string_view text);

  std::ostream& out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
  bool break_ = false;
};

// `s` as a JSON string literal, quotes included: control characters (C0,
// DEL, C1) escaped, invalid UTF-8 replaced by U+FFFD.
std::string json_quote(std::string_view s);

}  // namespace inxpect
