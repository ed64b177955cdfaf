// Calibration against the kernel: the built-in object measures the
// profiler's own cost, and reports subtract the right one.
#include <gtest/gtest.h>

#include "bpf_env.h"
#include "inxpect/calibration.h"
#include "inxpect/report.h"
#include "inxpect/test_run.h"

using namespace inxpect;
using namespace inxpect::test;

TEST(Calibration, MeasuresTheProfilersOwnCost) {
  INXPECT_REQUIRE_BPF();
  Calibration c = calibrate(LoadOptions{});
  for (const CalibrationCost* k : {&c.inlined, &c.out_of_line}) {
    EXPECT_GT(k->fixed[0], 0.0);   // two clock reads and bookkeeping take time
    EXPECT_GT(k->nested[0], 0.0);  // a whole START/END pair inside a section
  }
}

TEST(Calibration, DropsSectionComesDownToItsBody) {
  INXPECT_REQUIRE_BPF();
  pin_to_cpu0();
  Session s(example_object("drop.o"), {});
  test_run(s.program_fd("xdp_drop"), generate_packets("udp4,count=256"), RunOptions{8, false});
  Report r;
  r.events = s.events();
  r.calibration = calibrate(LoadOptions{});
  fill_rows(r, s.sections(), s.snapshot(), false);
  const ReportRow& drop = r.rows[0];
  // The body holds no instruction: what the section keeps is clock noise.
  // How close that comes to zero depends on this machine's clock; the VM
  // lab checks it exactly.  Here: the right cost is subtracted.
  double fixed = r.calibration->of(drop.section).fixed[0];
  ASSERT_GT(drop.stats.mean(0), fixed);
  EXPECT_NEAR(drop.stats.mean(0) - drop.fig[0].mean, fixed, 1e-9);
}
