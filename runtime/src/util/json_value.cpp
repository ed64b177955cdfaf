#include "libinxpect/json_value.h"

#include <cstdlib>

#include "libinxpect/error.h"

namespace inxpect {

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  JsonValue document() {
    JsonValue v = value(0);
    skip();
    if (i_ != s_.size()) fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error("JSON: " + what + " at byte " + std::to_string(i_), Errc::BadInput);
  }
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
      i_++;
  }
  bool eat(char c) {
    skip();
    if (i_ < s_.size() && s_[i_] == c) {
      i_++;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'");
  }
  bool word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }

  JsonValue value(unsigned depth) {
    if (depth > 200) fail("nested too deeply");
    skip();
    if (i_ >= s_.size()) fail("unexpected end");
    JsonValue v;
    char c = s_[i_];
    if (c == '{') {
      i_++;
      v.kind_ = JsonValue::Kind::Object;
      if (eat('}')) return v;
      do {
        skip();
        std::string k = string();
        expect(':');
        v.members_[k] = value(depth + 1);
      } while (eat(','));
      expect('}');
    } else if (c == '[') {
      i_++;
      v.kind_ = JsonValue::Kind::Array;
      if (eat(']')) return v;
      do v.array_.push_back(value(depth + 1));
      while (eat(','));
      expect(']');
    } else if (c == '"') {
      v.kind_ = JsonValue::Kind::String;
      v.string_ = string();
    } else if (word("true") || word("false")) {
      v.kind_ = JsonValue::Kind::Bool;
      v.bool_ = c == 't';
    } else if (word("null")) {
    } else {
      const char* begin = s_.data() + i_;
      char* end = nullptr;
      std::string copy(begin, std::min<size_t>(64, s_.size() - i_));
      v.number_ = std::strtod(copy.c_str(), &end);
      if (end == copy.c_str() || !(c == '-' || (c >= '0' && c <= '9')))
        fail("unexpected character");
      v.kind_ = JsonValue::Kind::Number;
      i_ += static_cast<size_t>(end - copy.c_str());
    }
    return v;
  }

  void utf8(std::string& o, unsigned cp) {
    if (cp < 0x80) {
      o += static_cast<char>(cp);
    } else if (cp < 0x800) {
      o += static_cast<char>(0xc0 | (cp >> 6));
      o += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      o += static_cast<char>(0xe0 | (cp >> 12));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      o += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      o += static_cast<char>(0xf0 | (cp >> 18));
      o += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      o += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  unsigned hex4() {
    if (i_ + 4 > s_.size()) fail("short \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
      char h = s_[i_++];
      v = v * 16 + (h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : (fail("bad \\u escape"), 0));
    }
    return v;
  }

  std::string string() {
    if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string");
    i_++;
    std::string o;
    while (true) {
      if (i_ >= s_.size()) fail("unterminated string");
      char c = s_[i_++];
      if (c == '"') return o;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c != '\\') {
        o += c;
        continue;
      }
      if (i_ >= s_.size()) fail("unterminated string");
      char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/': o += e; break;
        case 'b': o += '\b'; break;
        case 'f': o += '\f'; break;
        case 'n': o += '\n'; break;
        case 'r': o += '\r'; break;
        case 't': o += '\t'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xd800 && cp < 0xdc00 && word("\\u")) {
            unsigned lo = hex4();
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          utf8(o, cp);
          break;
        }
        default: fail("bad escape");
      }
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

namespace {
const JsonValue kNull;

[[noreturn]] void wrong(const char* want) {
  throw Error(std::string("JSON: expected ") + want, Errc::BadInput);
}
}  // namespace

double JsonValue::number() const {
  if (kind_ != Kind::Number) wrong("a number");
  return number_;
}
const std::string& JsonValue::string() const {
  if (kind_ != Kind::String) wrong("a string");
  return string_;
}
const std::vector<JsonValue>& JsonValue::array() const {
  if (kind_ != Kind::Array) wrong("an array");
  return array_;
}
const std::map<std::string, JsonValue>& JsonValue::members() const {
  if (kind_ != Kind::Object) wrong("an object");
  return members_;
}
const JsonValue& JsonValue::operator[](const std::string& key) const {
  auto it = members_.find(key);
  return it == members_.end() ? kNull : it->second;
}
bool JsonValue::has(const std::string& key) const { return members_.count(key) > 0; }

JsonValue parse_json(std::string_view text) { return JsonParser(text).document(); }

}  // namespace inxpect
