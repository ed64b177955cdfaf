// The profiler's own cost on this machine and backend, measured at start-up
// so reports can subtract it from what sections measure.
//
// A section's raw figure is its code plus a fixed part of START/END (what
// happens between the two counter reads), plus, for a parent, the whole cost
// of every section nested in it.  Both are measured with the built-in
// calibration object, with the same events and sampling rate.
#pragma once

#include <array>

#include "inxpect/abi.h"
#include "libinxpect/session.h"

namespace inxpect {

// One way of measuring: per event, what an empty section reports, and what
// one empty section nested in another adds to the outer one.
struct CalibrationCost {
  std::array<double, INXPECT_MAX_EVENTS> fixed{};
  std::array<double, INXPECT_MAX_EVENTS> nested{};
};

struct Calibration {
  CalibrationCost inlined;      // START_TRACE/END_TRACE
  CalibrationCost out_of_line;  // call=1 sections (inxpect-cc)

  const CalibrationCost& of(const Section& s) const { return s.out_of_line ? out_of_line : inlined; }
};

// Runs the calibration object under `opts` (events, sampling rate).  Call it
// after the Session being profiled exists, so the counters are configured.
Calibration calibrate(const LoadOptions& opts);

}  // namespace inxpect
