// inxpect-xdp-run's map handling: filling maps before the run, dumping the
// program's own maps after it (for comparing two builds of one source).
#pragma once

#include <string>
#include <vector>

struct bpf_object;

namespace inxpect {

// Puts the entries of FILE (map_fill.h's format: "KEY VALUE" in hex, one a
// line) into map NAME; a per-CPU map gets the value on every CPU.
void fill_map(bpf_object* obj, const std::string& name, const std::string& file);

// Every map of the program, as sorted lines:
//   map NAME KEY VALUE         (a per-CPU map: "map NAME KEY cpuN VALUE")
//   var SECTION VARIABLE VALUE (.bss, .data, .data.*: one line per variable)
//   map NAME skipped (WHY)
// in hex.  Entries of arrays whose value is all zeros, and per-CPU values
// that are all zeros, are left out.  InXpect's own maps and variables
// (inxpect_*, __inxpect_*, .data.inxpect) and read-only maps (.rodata*,
// .kconfig: frozen before the run) are not listed.
std::vector<std::string> dump_maps(bpf_object* obj);

}  // namespace inxpect
