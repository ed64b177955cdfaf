#include <gtest/gtest.h>

#include "libinxpect/stats.h"

using namespace inxpect;

namespace {

inxpect_sec raw(uint64_t count, uint64_t sum, uint64_t min, uint64_t max) {
  inxpect_sec r{};
  r.count = count;
  r.sum[0] = sum;
  r.inv_min[0] = ~min;
  r.max[0] = max;
  return r;
}

}  // namespace

TEST(Stats, MergeAcrossCpus) {
  SectionStats total;
  total.merge(from_raw(raw(2, 30, 10, 20), 1), 1);
  total.merge(from_raw(raw(0, 0, 0, 0), 1), 1);  // an idle CPU must not drag min to 0
  total.merge(from_raw(raw(3, 90, 25, 35), 1), 1);
  EXPECT_EQ(total.count, 5u);
  EXPECT_EQ(total.ev[0].sum, 120u);
  EXPECT_EQ(total.ev[0].min, 10u);
  EXPECT_EQ(total.ev[0].max, 35u);
  EXPECT_DOUBLE_EQ(total.mean(0), 24.0);
}

TEST(Stats, MergeKeepsFailedReads) {
  inxpect_sec r = raw(0, 0, 0, 0);
  r.bad = 4;
  SectionStats total;
  total.merge(from_raw(r, 1), 1);
  EXPECT_EQ(total.bad, 4u);
  EXPECT_EQ(total.count, 0u);
}

TEST(Stats, SinceSubtractsCountsAndSums) {
  SectionStats before = from_raw(raw(10, 100, 5, 20), 1);
  SectionStats now = from_raw(raw(15, 180, 5, 30), 1);
  SectionStats d = since(now, before);
  EXPECT_EQ(d.count, 5u);
  EXPECT_EQ(d.ev[0].sum, 80u);
  EXPECT_DOUBLE_EQ(d.mean(0), 16.0);
  EXPECT_EQ(since(now, now).count, 0u);
  EXPECT_EQ(since(now, now).ev[0].max, 0u);
}

TEST(Sampling, Arithmetic) {
  EXPECT_EQ(estimated_executions(10, 64), 640u);
  EXPECT_EQ(estimated_executions(10, 0), 10u);  // 0 means every execution
  EXPECT_EQ(expected_measured(1000, 1), 1000u);
  EXPECT_EQ(expected_measured(1000, 64), 15u);  // the 64th, 128th, ... 960th
  EXPECT_EQ(expected_measured(63, 64), 0u);
}

TEST(Stats, MeanOfNothingIsZero) { EXPECT_EQ(SectionStats{}.mean(0), 0.0); }
