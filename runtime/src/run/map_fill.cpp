#include "libinxpect/map_fill.h"

#include <cctype>
#include <sstream>

#include "libinxpect/error.h"

namespace inxpect {
namespace {

std::vector<uint8_t> unhex(const std::string& s, const std::string& where) {
  if (s.size() % 2)
    throw Error(where + ": odd number of hex digits in '" + s + "'", Errc::BadInput);
  std::vector<uint8_t> out;
  for (size_t i = 0; i < s.size(); i += 2) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 1])))
      throw Error(where + ": '" + s + "' is not hex", Errc::BadInput);
    out.push_back(static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
  }
  return out;
}

}  // namespace

std::vector<MapEntry> parse_map_entries(const std::string& text, const std::string& origin,
                                        size_t key_size, size_t value_size) {
  std::vector<MapEntry> entries;
  std::istringstream in(text);
  unsigned lineno = 0;
  for (std::string line; std::getline(in, line);) {
    lineno++;
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::string k, v, extra;
    if (!(fields >> k)) continue;
    std::string where = origin + ":" + std::to_string(lineno);
    if (!(fields >> v) || (fields >> extra))
      throw Error(where + ": expected 'KEY VALUE' in hex", Errc::BadInput);
    MapEntry e{unhex(k, where), unhex(v, where)};
    if (e.first.size() != key_size || e.second.size() != value_size)
      throw Error(where + ": entry is " + std::to_string(e.first.size()) + "+" +
                      std::to_string(e.second.size()) + " bytes, the map takes " +
                      std::to_string(key_size) + "+" + std::to_string(value_size),
                  Errc::BadInput);
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace inxpect
