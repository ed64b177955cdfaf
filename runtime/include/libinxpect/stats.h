// Per-section figures: merging per-CPU figures, and what sampling means
// for them.  Pure arithmetic; StateReader (state.h) fills them.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "inxpect/abi.h"

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
  // Adds another CPU's (or interval's) figures.
  void merge(const SectionStats& other, unsigned nr_events);
};

// `now` minus `before`, for interval reports; min and max are those of `now`
// (they cannot be subtracted) unless nothing new was measured.
SectionStats since(const SectionStats& now, const SectionStats& before);

// One CPU's raw accumulator (inxpect.h's layout), as figures.
SectionStats from_raw(const inxpect_sec& raw, unsigned nr_events);

// Figures of every section, summed over CPUs and per CPU.
struct Snapshot {
  std::vector<SectionStats> total;                 // by section id
  std::vector<std::vector<SectionStats>> per_cpu;  // [cpu][section id]
};

// What changed from `before` to `now`, for interval reports.
Snapshot since(const Snapshot& now, const Snapshot& before);

// Executions a section really had, estimated from those measured at 1 in
// `rate` (every rate-th execution on each CPU is measured).
uint64_t estimated_executions(uint64_t measured, uint32_t rate);

// Executions a section measures out of `runs` on one CPU at 1 in `rate`,
// starting from a fresh countdown.
uint64_t expected_measured(uint64_t runs, uint32_t rate);

}  // namespace inxpect
