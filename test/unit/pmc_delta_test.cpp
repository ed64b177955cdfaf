// The module's counter deltas (inxpect_pmc_delta in abi.h): a counter that
// perf reloads on overflow between a section's two reads must give no
// measurement, not one of about 2^48 (issue 10, finding 6).
#include <gtest/gtest.h>

#include "inxpect/abi.h"

namespace {

constexpr unsigned long long kTop = 1ULL << INXPECT_PMC_BITS;

TEST(PmcDelta, CountsBetweenTwoReads) {
  __inxpect_u64 dl = 0;
  EXPECT_TRUE(inxpect_pmc_delta(1500, 1000, &dl));
  EXPECT_EQ(dl, 500u);
  // The 48-bit counter passing 2^48 by itself is still a measurement.
  EXPECT_TRUE(inxpect_pmc_delta(5, kTop - 10, &dl));
  EXPECT_EQ(dl, 15u);
}

TEST(PmcDelta, AReloadBetweenTheReadsIsNoMeasurement) {
  // perf reloads an overflowed counter to 2^48 - period; with a 2^31
  // period (CPUs without full-width writes) a section that spans the
  // reload reads a delta of about 2^48 - 2^31.
  __inxpect_u64 start = kTop - 50, now = kTop - (1ULL << 31) + 30, dl = 0;
  EXPECT_FALSE(inxpect_pmc_delta(now, start, &dl));
  EXPECT_FALSE(inxpect_pmc_delta(start + (1ULL << 46), start, &dl));
  EXPECT_TRUE(inxpect_pmc_delta(start + (1ULL << 46) - 1, start, &dl));
}

TEST(PmcDelta, AFailedReadIsNoMeasurement) {
  __inxpect_u64 dl = 0;
  EXPECT_FALSE(inxpect_pmc_delta(INXPECT_BAD_READ, 1000, &dl));
  EXPECT_FALSE(inxpect_pmc_delta(1000, INXPECT_BAD_READ, &dl));
}

}  // namespace
