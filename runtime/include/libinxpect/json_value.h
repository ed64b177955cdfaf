// Reading JSON back: the reports `inxpect run --format json` wrote, for
// the views that work from a saved run (flamegraph, diff, annotate).
// Writing stays with the one JsonWriter (json_writer.h).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace inxpect {

class JsonValue {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_number() const { return kind_ == Kind::Number; }
  // Throw Error (Errc::BadInput) when the value is of another kind.
  double number() const;
  const std::string& string() const;
  const std::vector<JsonValue>& array() const;
  // A member, or a null value when the object has none.
  const JsonValue& operator[](const std::string& key) const;
  bool has(const std::string& key) const;
  const std::map<std::string, JsonValue>& members() const;

  // Conveniences: the value, or `fallback` when null or missing.
  double number_or(double fallback) const { return is_number() ? number_ : fallback; }
  std::string string_or(const std::string& fallback) const {
    return kind_ == Kind::String ? string_ : fallback;
  }

 private:
  friend class JsonParser;
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::map<std::string, JsonValue> members_;
};

// Parses one JSON document (RFC 8259; numbers as doubles).  Throws Error
// (Errc::BadInput) naming the byte offset of the first problem.
JsonValue parse_json(std::string_view text);

}  // namespace inxpect
