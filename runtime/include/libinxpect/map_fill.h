// Filling a map before profiling (a router's routes, a NAT's bindings), from
// a text file: one entry a line, "KEY VALUE" in hex, bytes in memory order;
// spaces inside KEY or VALUE are not allowed; '#' starts a comment.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace inxpect {

using MapEntry = std::pair<std::vector<uint8_t>, std::vector<uint8_t>>;

// Parses the file's text.  Throws Error naming `origin` and the line.
std::vector<MapEntry> parse_map_entries(const std::string& text, const std::string& origin,
                                        size_t key_size, size_t value_size);

}  // namespace inxpect
