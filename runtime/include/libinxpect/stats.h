// Figures of the call paths an object measured: merging per-CPU figures,
// what changed over an interval, histogram quantiles, and what sampling
// means for them.  Pure arithmetic; StateReader (state.h) fills them.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "inxpect/abi.h"
#include "libinxpect/section_table.h"

namespace inxpect {

struct EventStats {
  uint64_t sum = 0;
  uint64_t min = 0;
  uint64_t max = 0;
};

struct SectionStats {
  uint64_t count = 0;  // executions measured
  uint64_t bad = 0;    // executions dropped on a failed counter read
  std::array<EventStats, INXPECT_MAX_EVENTS> ev{};

  double mean(unsigned e) const { return count ? static_cast<double>(ev[e].sum) / count : 0.0; }
  // Adds another CPU's (or path's) figures.
  void merge(const SectionStats& other, unsigned nr_events);
};

// `now` minus `before`, for interval reports; min and max are those of `now`
// (they cannot be subtracted) unless nothing new was measured.
SectionStats since(const SectionStats& now, const SectionStats& before);

// Event 0 per bucket (abi.h: log2 buckets split in 4).
using Histogram = std::array<uint64_t, INXPECT_HIST_BUCKETS>;

// The values bucket b holds: [low, high).
double bucket_low(unsigned b);
double bucket_high(unsigned b);
// The q-quantile (0..1) of what `h` counted: the middle of its bucket, within
// 12.5% of the true one; 0 when it counted nothing.
double quantile(const Histogram& h, double q);

// One call path: the sections open when its section started, named by
// their keys (abi.h).
struct PathStats {
  uint64_t key = 0;
  uint64_t parent = 0;  // 0: a top-level path
  uint32_t slot = 0;    // the START site that opened its section
  uint32_t depth = 0;   // 1 at top level
  SectionStats stats;
  Histogram hist{};
};

// One CPU's accumulator (abi.h's inxpect_node), as figures.
PathStats from_node(const inxpect_node& node, unsigned nr_events);

// What the probes could not record (abi.h's inxpect_hdr), summed over CPUs.
struct Health {
  uint64_t overflow = 0;   // sections not measured: too deeply nested
  uint64_t lost = 0;       // measurements of paths that found no room
  uint64_t unmatched = 0;  // ENDs without their START in the same run
};

struct Snapshot {
  std::vector<PathStats> paths;                 // summed over CPUs, by key
  std::vector<std::vector<PathStats>> per_cpu;  // [cpu], by key
  Health health;
};

// Adds `p` (one CPU's) into `into`, kept sorted by key.
void merge_path(std::vector<PathStats>& into, const PathStats& p, unsigned nr_events);

// What changed from `before` to `now`, for interval reports.  Histogram
// counters are 32 bits per CPU and wrap; the difference is taken per CPU.
Snapshot since(const Snapshot& now, const Snapshot& before, unsigned nr_events);

// A section's figures over every path it was measured on.
SectionStats section_total(const Snapshot& snap, const Section& section, unsigned nr_events);

// Executions a section really had, estimated from those measured when 1
// run in `rate` is (on average, at random intervals).
uint64_t estimated_executions(uint64_t measured, uint32_t rate);

// The relative standard error of a total estimated from a sample (the
// measured sum times `rate`): 0 unsampled.  The sampler draws intervals
// uniformly from [1, 2 rate - 1], so the count alone is off by
// sqrt((1 - 1/rate) / (3 measured)); the spread of the values (event 0,
// from the histogram when it counted anything) adds cv^2 (1 - 1/rate) /
// measured.  Infinite when nothing was measured under sampling.
double sampled_total_error(const SectionStats& raw, const Histogram& hist, uint32_t rate);

}  // namespace inxpect
