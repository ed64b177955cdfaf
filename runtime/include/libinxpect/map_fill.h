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

// Parses the file's text.  Throws Error naming `origin` and the line, and
// `target` (such as "map 'routes' of router.o") when an entry's size is not
// the map's.
std::vector<MapEntry> parse_map_entries(const std::string& text, const std::string& origin,
                                        size_t key_size, size_t value_size,
                                        const std::string& target = "the map");

// The buffer the kernel reads for one element of a per-CPU map: `value` once
// per possible CPU, each copy in a slot of value_size rounded up to 8 bytes
// (what bpf_map_update_elem reads for BPF_MAP_TYPE_PERCPU_*).  Throws Error
// when `ncpus` is 0 or the buffer would not fit in memory.
std::vector<uint8_t> per_cpu_value(const std::vector<uint8_t>& value, size_t ncpus);

}  // namespace inxpect
