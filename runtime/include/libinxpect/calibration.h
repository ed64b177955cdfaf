// The profiler's own cost, and the arithmetic that takes it out of what a
// section measured.  Pure: calibrate() (calibrate.h) measures the costs;
// reports and the bench subtract them with section_figures().
//
// A section's raw figure is its code plus a fixed part of START/END (what
// happens between the two counter reads), plus, for a parent, the whole cost
// of every section nested in it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "inxpect/abi.h"
#include "libinxpect/section_table.h"
#include "libinxpect/stats.h"

namespace inxpect {

// One way of measuring: per event, what an empty section reports, and what
// one empty section nested in another adds to the outer one.
struct CalibrationCost {
  std::array<double, INXPECT_MAX_EVENTS> fixed{};
  std::array<double, INXPECT_MAX_EVENTS> nested{};
};

struct Calibration {
  CalibrationCost inlined;      // START_TRACE/END_TRACE
  CalibrationCost out_of_line;  // START_TRACE_CALL/END_TRACE_CALL (call=1 sites, inxpect-cc)

  const CalibrationCost& of(const Section& s) const {
    return s.out_of_line ? out_of_line : inlined;
  }
};

// What a report shows for one event: calibrated when the report is.
struct Figures {
  double mean = 0, min = 0, max = 0;
};
using EventFigures = std::array<Figures, INXPECT_MAX_EVENTS>;

// Section `id`'s figures in `stats` (one entry per section id, from one CPU
// or summed), less the profiler's own cost when `cal` is given: the fixed
// cost, and each nested section's nested cost times its executions per
// execution of this one.  Never below zero.  Zero figures when the section
// measured nothing.
EventFigures section_figures(const SectionTable& table, uint32_t id,
                             const std::vector<SectionStats>& stats, const Calibration* cal,
                             unsigned nr_events);

}  // namespace inxpect
