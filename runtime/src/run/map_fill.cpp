#include "libinxpect/map_fill.h"

#include <cctype>
#include <cstring>
#include <sstream>

#include "libinxpect/error.h"

namespace inxpect {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<uint8_t> unhex(const std::string& s, const std::string& where) {
  if (s.size() % 2)
    throw Error(where + ": odd number of hex digits in '" + s + "'", Errc::BadInput);
  std::vector<uint8_t> out;
  out.reserve(s.size() / 2);
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) throw Error(where + ": '" + s + "' is not hex", Errc::BadInput);
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

}  // namespace

std::vector<MapEntry> parse_map_entries(const std::string& text, const std::string& origin,
                                        size_t key_size, size_t value_size,
                                        const std::string& target) {
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
    // Sizes first: a line far longer than the map's entry is not decoded.
    if (k.size() != 2 * key_size || v.size() != 2 * value_size)
      throw Error(where + ": entry is " + std::to_string(k.size() / 2) + "+" +
                      std::to_string(v.size() / 2) + " bytes, " + target + " takes " +
                      std::to_string(key_size) + "+" + std::to_string(value_size),
                  Errc::BadInput);
    entries.emplace_back(unhex(k, where), unhex(v, where));
  }
  return entries;
}

std::vector<uint8_t> per_cpu_value(const std::vector<uint8_t>& value, size_t ncpus) {
  constexpr size_t kLimit = size_t{1} << 30;
  size_t slot = (value.size() + 7) / 8 * 8;
  if (ncpus == 0 || slot == 0 || slot > kLimit / ncpus)
    throw Error("cannot size a per-CPU value of " + std::to_string(value.size()) + " bytes for " +
                    std::to_string(ncpus) + " CPUs",
                Errc::BadInput);
  std::vector<uint8_t> out(slot * ncpus, 0);
  for (size_t cpu = 0; cpu < ncpus; cpu++)
    std::memcpy(out.data() + cpu * slot, value.data(), value.size());
  return out;
}

}  // namespace inxpect
