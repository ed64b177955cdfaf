#include <gtest/gtest.h>
#include <linux/perf_event.h>

#include "libinxpect/error.h"
#include "libinxpect/events.h"

using namespace inxpect;

TEST(Events, KtimeByDefault) {
  auto ev = resolve_events("ktime", Backend::Auto, false);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].source, Source::Ktime);
  EXPECT_EQ(ev[0].unit, "ns");
}

TEST(Events, HardwareEventsPickTheStrongestBackend) {
  EXPECT_EQ(resolve_events("instructions", Backend::Auto, false)[0].source, Source::Perf);
  EXPECT_EQ(resolve_events("instructions", Backend::Auto, true)[0].source, Source::KfPmc);
  EXPECT_EQ(resolve_events("instructions", Backend::Perf, true)[0].source, Source::Perf);
  auto ev = resolve_events("cycles,llc-misses", Backend::Kmod, true);
  EXPECT_EQ(ev[1].perf_type, static_cast<uint32_t>(PERF_TYPE_HW_CACHE));
}

TEST(Events, SoftwareEventsUsePerf) {
  auto ev = resolve_events("cpu-clock", Backend::Auto, true);
  EXPECT_EQ(ev[0].source, Source::Perf);
  EXPECT_FALSE(ev[0].hardware);
  EXPECT_THROW(resolve_events("cpu-clock", Backend::Kmod, true), Error);
}

TEST(Events, RawCodes) {
  auto ev = resolve_events("r00c0", Backend::Perf, false);
  EXPECT_EQ(ev[0].perf_type, static_cast<uint32_t>(PERF_TYPE_RAW));
  EXPECT_EQ(ev[0].perf_config, 0xc0u);
  EXPECT_THROW(resolve_events("rxyz", Backend::Perf, false), Error);
}

TEST(Events, TscNeedsTheModule) {
  EXPECT_THROW(resolve_events("tsc", Backend::Auto, false), Error);
  EXPECT_EQ(resolve_events("tsc", Backend::Auto, true)[0].source, Source::KfTsc);
  EXPECT_THROW(resolve_events("tsc", Backend::Ktime, true), Error);
}

TEST(Events, Errors) {
  EXPECT_THROW(resolve_events("bogus", Backend::Auto, false), Error);
  EXPECT_THROW(resolve_events("", Backend::Auto, false), Error);
  EXPECT_THROW(resolve_events("cycles,cycles", Backend::Perf, false), Error);
  EXPECT_THROW(resolve_events("instructions,cycles,branches,branch-misses,cache-misses",
                              Backend::Perf, false),
               Error);
  EXPECT_THROW(resolve_events("instructions", Backend::Ktime, false), Error);
  EXPECT_THROW(resolve_events("instructions", Backend::Kmod, false), Error);
  EXPECT_THROW(parse_backend("fast"), Error);
}

TEST(Events, UnknownEventMessageListsKnownOnes) {
  try {
    resolve_events("instrs", Backend::Auto, false);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("instructions"), std::string::npos);
  }
}
