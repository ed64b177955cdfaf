// The profiler's own cost, and the arithmetic that takes it out of what a
// call path measured.  Pure: calibrate() (calibrate.h) measures the costs;
// reports and the bench subtract them with path_figures().
//
// A path's raw figure is its code plus a fixed part of START/END (what
// happens between the two counter reads), plus the whole cost of every
// section measured inside it: its child paths.
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
  // The spread of the repeated measurements (half the interquartile range),
  // to tell a figure from the calibration's own noise.
  std::array<double, INXPECT_MAX_EVENTS> spread{};
};

struct Calibration {
  CalibrationCost instrumented;  // INXPECT_SECTION_START/END (inxpect-cc)
  CalibrationCost hand;          // START_TRACE/END_TRACE

  const CalibrationCost& of(const Section& s) const { return s.hand ? hand : instrumented; }
};

// What a report shows for one event: calibrated when the report is.
struct Figures {
  double mean = 0, min = 0, max = 0;
};
using EventFigures = std::array<Figures, INXPECT_MAX_EVENTS>;

// A path with what it needs to be calibrated: its section (for the cost of
// its way of measuring) and its children, the paths measured inside it.
struct PathNode {
  const PathStats* path;
  const Section* section;  // null: a slot the table does not know
  std::vector<const PathNode*> children;
};

// Per execution of `node`: inclusive figures (all it measured, less the
// profiler's cost inside it when `cal` is given: the fixed cost, and each
// child's nested cost times its executions per execution of this one) and
// exclusive figures (inclusive less the children's inclusive figures, per
// execution of this one; min and max stay inclusive).  Never below zero,
// and never an inclusive figure below its children's.
// Zero figures when the path measured nothing.
struct PathFigures {
  EventFigures incl{}, excl{};
};
PathFigures path_figures(const PathNode& node, const Calibration* cal, unsigned nr_events);

}  // namespace inxpect
