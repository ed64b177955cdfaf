// The perf-helper source (bpf_perf_event_read_value on per-CPU events).
#include <gtest/gtest.h>

#include "bpf_env.h"
#include "libinxpect/error.h"
#include "libinxpect/probe.h"
#include "libinxpect/session.h"
#include "libinxpect/test_run.h"

using namespace inxpect;
using namespace inxpect::test;

TEST(PerfBackend, SoftwareClockCountsEveryRun) {
  INXPECT_REQUIRE_BPF();
  if (!xdp_can_read_perf_events())
    GTEST_SKIP() << "this kernel does not allow bpf_perf_event_read_value in XDP";
  pin_to_cpu0();
  LoadOptions o;
  o.events = resolve_events("ktime,cpu-clock", Backend::Auto, false);
  Session s(itest_object("sections.o"), o);
  test_run(s.program_fd("xdp_nested"), generate_packets("udp4,count=50"), RunOptions{4, false});
  SectionStats st = s.section("outer");
  EXPECT_EQ(st.count, 200u);
  EXPECT_EQ(st.bad, 0u);
  EXPECT_GT(st.ev[1].sum, 0u);
}

TEST(PerfBackend, HardwareEventWithoutPmuIsAClearError) {
  INXPECT_REQUIRE_BPF();
  if (has_hardware_pmu()) GTEST_SKIP() << "this machine has a PMU";
  if (!xdp_can_read_perf_events())
    GTEST_SKIP() << "this kernel does not allow bpf_perf_event_read_value in XDP";
  LoadOptions o;
  o.events = resolve_events("instructions", Backend::Perf, false);
  try {
    Session s(itest_object("sections.o"), o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not available on this machine"), std::string::npos)
        << e.what();
  }
}
