// Calibration against the kernel: the built-in object measures the
// profiler's own cost, and reports subtract the right one.
#include <gtest/gtest.h>

#include <algorithm>

#include "bpf_env.h"
#include "libinxpect/calibrate.h"
#include "libinxpect/counters.h"
#include "libinxpect/report.h"
#include "libinxpect/session.h"
#include "libinxpect/test_run.h"

using namespace inxpect;
using namespace inxpect::test;

TEST(Calibration, MeasuresTheProfilersOwnCost) {
  INXPECT_REQUIRE_BPF();
  Counters ktime;
  Calibration c = calibrate(ktime, ProbeConfig{}, 1);
  for (const CalibrationCost* k : {&c.instrumented, &c.hand}) {
    EXPECT_GT(k->fixed[0], 0.0);   // two clock reads and bookkeeping take time
    EXPECT_GT(k->nested[0], 0.0);  // a whole START/END pair inside a section
  }
}

TEST(Calibration, DropsSectionComesDownToItsBody) {
  INXPECT_REQUIRE_EXAMPLES();
  pin_to_cpu0();
  Session s(example_object("drop.o"), {});
  test_run(s.program_fd("xdp_drop"), generate_packets("udp4,count=256"), RunOptions{8, false});
  Report r;
  r.events = s.events();
  r.calibration = s.calibrate();
  fill_rows(r, s.sections(), s.snapshot(), false);
  const ReportRow& drop = r.rows[0];
  // The body holds no instruction, so the raw mean is the fixed cost plus
  // clock noise of either sign, and the calibrated figure is that noise or
  // zero.  The VM lab checks it exactly (vm.inxpect.kmod_tsc: 0).  Here: the
  // right cost is subtracted, never below zero.
  double fixed = r.calibration->of(drop.section).fixed[0];
  EXPECT_GT(fixed, 0.0);
  EXPECT_DOUBLE_EQ(drop.fig[0].mean, std::max(0.0, drop.stats.mean(0) - fixed));
}
