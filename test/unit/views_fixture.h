// A synthetic report for the view tests: program xdp_p, sections in p.c
//   outer (lines 10-30) > inner (11-20) > leaf (12-13), and other (40-41)
// at top level, never (50-51) that never ran; sampled 1 in `rate`.
#pragma once

#include <string>

#include "libinxpect/report.h"

namespace inxpect::test {

inline PathStats view_path(uint64_t key, uint64_t parent, uint32_t slot, uint32_t depth,
                           uint64_t count, uint64_t mean, unsigned bucket) {
  PathStats p;
  p.key = key;
  p.parent = parent;
  p.slot = slot;
  p.depth = depth;
  p.stats.count = count;
  p.stats.ev[0] = EventStats{mean * count, mean - 1, mean + 1};
  p.stats.ev[1] = EventStats{3 * mean * count, 3 * mean - 3, 3 * mean + 3};
  p.hist[bucket] = count;
  return p;
}

inline Report view_report(uint32_t rate = 1) {
  using namespace std::string_literals;
  SectionTable table = SectionTable::parse(
      "site=start\0name=outer\0slot=0\0file=p.c\0line=10\0"
      "site=start\0name=inner\0slot=1\0file=p.c\0line=11\0"
      "site=start\0name=leaf\0slot=2\0file=p.c\0line=12\0"
      "site=end\0name=leaf\0file=p.c\0line=13\0"
      "site=end\0name=inner\0file=p.c\0line=20\0"
      "site=end\0name=outer\0file=p.c\0line=30\0"
      "site=start\0name=other\0slot=3\0file=p.c\0line=40\0"
      "site=end\0name=other\0file=p.c\0line=41\0"
      "site=start\0name=never\0slot=4\0file=p.c\0line=50\0"
      "site=end\0name=never\0file=p.c\0line=51\0"s);
  const uint64_t outer = 1, inner = outer * INXPECT_PATH_MUL + 2,
                 leaf = inner * INXPECT_PATH_MUL + 3, other = 4;
  Snapshot snap;
  snap.per_cpu.resize(1);
  // outer 1000 x 500 ns, inner 1000 x 300, leaf 4000 x 50 (4 per inner),
  // other 500 x 100.
  for (const PathStats& p : {view_path(outer, 0, 0, 1, 1000, 500, 4 * 7 + 3),
                             view_path(inner, outer, 1, 2, 1000, 300, 4 * 7),
                             view_path(leaf, inner, 2, 3, 4000, 50, 4 * 4 + 2),
                             view_path(other, 0, 3, 1, 500, 100, 4 * 5 + 2)})
    merge_path(snap.paths, p, 2);
  snap.per_cpu[0] = snap.paths;
  Report r;
  r.object = "p.o";
  r.program = "xdp_p";
  r.backend = "ktime";
  r.events = {Event{"ktime", "ns", Source::Ktime},
              Event{"instructions", "instructions", Source::Perf}};
  r.sample_rate = rate;
  r.packets = 1000;
  r.runs = 1000;
  r.program_ns_per_run = 600;
  fill_rows(r, table, snap, false);
  return r;
}

}  // namespace inxpect::test
