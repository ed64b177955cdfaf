#include <gtest/gtest.h>

#include "libinxpect/report.h"
#include "libinxpect/stats.h"

using namespace inxpect;

namespace {

inxpect_node node(uint64_t key, uint64_t count, uint64_t sum, uint64_t min, uint64_t max) {
  inxpect_node n{};
  n.key = key;
  n.count = count;
  n.sum[0] = sum;
  n.inv_min[0] = ~min;
  n.max[0] = max;
  return n;
}

}  // namespace

TEST(Stats, MergeAcrossCpus) {
  SectionStats total;
  total.merge(from_node(node(1, 2, 30, 10, 20), 1).stats, 1);
  total.merge(from_node(node(1, 0, 0, 0, 0), 1).stats, 1);  // an idle CPU must not drag min to 0
  total.merge(from_node(node(1, 3, 90, 25, 35), 1).stats, 1);
  EXPECT_EQ(total.count, 5u);
  EXPECT_EQ(total.ev[0].sum, 120u);
  EXPECT_EQ(total.ev[0].min, 10u);
  EXPECT_EQ(total.ev[0].max, 35u);
  EXPECT_DOUBLE_EQ(total.mean(0), 24.0);
}

TEST(Stats, MergeKeepsFailedReads) {
  inxpect_node n = node(1, 0, 0, 0, 0);
  n.bad = 4;
  SectionStats total;
  total.merge(from_node(n, 1).stats, 1);
  EXPECT_EQ(total.bad, 4u);
  EXPECT_EQ(total.count, 0u);
}

TEST(Stats, PathsMergeByKey) {
  std::vector<PathStats> all;
  merge_path(all, from_node(node(9, 1, 10, 10, 10), 1), 1);
  merge_path(all, from_node(node(3, 1, 5, 5, 5), 1), 1);
  merge_path(all, from_node(node(9, 2, 30, 12, 18), 1), 1);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key, 3u);
  EXPECT_EQ(all[1].stats.count, 3u);
  EXPECT_EQ(all[1].stats.ev[0].sum, 40u);
}

TEST(Stats, SinceSubtractsCountsSumsAndHistograms) {
  Snapshot before, now;
  before.per_cpu.resize(1);
  now.per_cpu.resize(1);
  PathStats b = from_node(node(5, 10, 100, 5, 20), 1);
  b.hist[3] = 0xfffffff0u;  // about to wrap
  PathStats n = from_node(node(5, 15, 180, 5, 30), 1);
  n.hist[3] = 0x10;
  before.per_cpu[0].push_back(b);
  now.per_cpu[0].push_back(n);
  Snapshot d = since(now, before, 1);
  ASSERT_EQ(d.paths.size(), 1u);
  EXPECT_EQ(d.paths[0].stats.count, 5u);
  EXPECT_EQ(d.paths[0].stats.ev[0].sum, 80u);
  EXPECT_EQ(d.paths[0].hist[3], 0x20u);
}

TEST(Stats, IntervalExtremesComeFromTheInterval) {
  // All time: min 3, max 1000; this interval only measured 40 and 50.
  Snapshot before, now;
  before.per_cpu.resize(1);
  now.per_cpu.resize(1);
  PathStats b = from_node(node(5, 2, 1003, 3, 1000), 1);
  PathStats n = from_node(node(5, 4, 1093, 3, 1000), 1);
  n.hist = b.hist;
  n.hist[17] += 1;  // [40, 48)
  n.hist[18] += 1;  // [48, 56)
  before.per_cpu[0].push_back(b);
  now.per_cpu[0].push_back(n);
  Snapshot d = since(now, before, 1);
  EXPECT_GE(d.paths[0].stats.ev[0].min, 40u);
  EXPECT_LT(d.paths[0].stats.ev[0].max, 56u);
}

TEST(Histogram, BucketsTileTheValues) {
  EXPECT_EQ(bucket_low(0), 0);
  EXPECT_EQ(bucket_high(3), 4);
  for (unsigned b = 0; b + 1 < INXPECT_HIST_BUCKETS; b++)
    EXPECT_EQ(bucket_high(b), bucket_low(b + 1));
  for (uint64_t v : {0ull, 1ull, 4ull, 7ull, 8ull, 100ull, 12345ull, 1ull << 39}) {
    unsigned e = v >= 4 ? 63 - __builtin_clzll(v) : 0;
    unsigned b = inxpect_hist_bucket(v, e);
    EXPECT_LE(bucket_low(b), static_cast<double>(v)) << v;
    EXPECT_GT(bucket_high(b), static_cast<double>(v)) << v;
    // A bucket is at most a quarter of its lower bound wide.
    if (v >= 4) EXPECT_LE(bucket_high(b) - bucket_low(b), bucket_low(b) / 4) << v;
  }
}

TEST(Histogram, QuantilesOfAKnownDistribution) {
  Histogram h{};
  // 1000 values uniform in [64, 128): buckets 20..23, 250 each; a quantile
  // is the middle of its bucket.
  for (unsigned b = 20; b < 24; b++) h[b] = 250;
  EXPECT_EQ(quantile(h, 0.5), 88);
  EXPECT_EQ(quantile(h, 0.9), 120);
  EXPECT_EQ(quantile(Histogram{}, 0.5), 0);
}

TEST(Histogram, QuantileWithinAnEighthOfAValueAtABucketsBottom) {
  // Every value 64, the bottom of [64, 80): the middle, 72, is 12.5% high;
  // a point interpolated near the bucket's top would be nearly 25% high.
  Histogram h{};
  h[inxpect_hist_bucket(64, 6)] = 1000;
  EXPECT_EQ(quantile(h, 0.99), 72);
}

TEST(Histogram, RowQuantileStaysInsideMinAndMax) {
  // Every execution 65: the bucket's middle, 72, is past the exact max.
  Histogram h{};
  h[inxpect_hist_bucket(65, 6)] = 10;
  SectionStats raw;
  raw.count = 10;
  raw.ev[0] = EventStats{650, 65, 65};
  Figures fig{65, 65, 65};
  EXPECT_EQ(row_quantile(h, raw, fig, 0.99), 65);
  fig.mean = 60;  // calibrated: 5 less per execution
  EXPECT_EQ(row_quantile(h, raw, fig, 0.5), 60);
}

TEST(Sampling, Arithmetic) {
  EXPECT_EQ(estimated_executions(10, 64), 640u);
  EXPECT_EQ(estimated_executions(10, 0), 10u);  // 0 means every execution
}

TEST(Stats, MeanOfNothingIsZero) { EXPECT_EQ(SectionStats{}.mean(0), 0.0); }
