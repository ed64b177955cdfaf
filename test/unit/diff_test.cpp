// inxpect diff's statistics: Mann-Whitney, the bootstrap interval, and two
// runs compared section by section.
#include <gtest/gtest.h>

#include <random>

#include "libinxpect/diff.h"
#include "libinxpect/error.h"
#include "views_fixture.h"

using namespace inxpect;

TEST(MannWhitney, ExactForSmallSamples) {
  // Complete separation of 3 and 3: 2 of the 20 arrangements are as extreme.
  EXPECT_NEAR(mann_whitney_p({1, 2, 3}, {4, 5, 6}), 0.1, 1e-12);
  EXPECT_NEAR(mann_whitney_p({4, 5, 6}, {1, 2, 3}), 0.1, 1e-12);
  // 5 and 5 separated: 2 / 252.
  EXPECT_NEAR(mann_whitney_p({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}), 2.0 / 252, 1e-12);
  EXPECT_NEAR(mann_whitney_p({1, 3, 5}, {2, 4, 6}), 0.7, 1e-12);
  EXPECT_EQ(mann_whitney_p({}, {1}), 1.0);
}

TEST(MannWhitney, NormalWithTiesAndOnHistograms) {
  std::vector<double> a(30, 1.0), b(30, 1.0);
  EXPECT_NEAR(mann_whitney_p(a, b), 1.0, 1e-9);
  Histogram h1{}, h2{};
  h1[20] = 1000;
  h2[20] = 1000;
  EXPECT_NEAR(mann_whitney_hist_p(h1, h2), 1.0, 1e-9);
  h2[20] = 0;
  h2[24] = 1000;
  EXPECT_LT(mann_whitney_hist_p(h1, h2), 1e-6);
}

TEST(Bootstrap, IntervalCoversTheChange) {
  std::mt19937 rng(1);
  std::normal_distribution<double> na(100, 2), nb(110, 2);
  std::vector<double> a, b;
  for (int k = 0; k < 20; k++) {
    a.push_back(na(rng));
    b.push_back(nb(rng));
  }
  Interval ci = bootstrap_change(a, b);
  EXPECT_LT(ci.low, 0.10);
  EXPECT_GT(ci.high, 0.10);
  EXPECT_GT(ci.low, 0.07);
  Interval again = bootstrap_change(a, b);  // fixed seed: reproducible
  EXPECT_EQ(ci.low, again.low);
}

namespace {

// The fixture's report with K batches of section means drawn around its
// own, `slower` percent slower in section "inner".
Report with_batches(unsigned k, double slower, unsigned seed, bool drop_other = false) {
  Report r = test::view_report();
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(1.0, 0.02);  // 2% batch to batch
  for (ReportRow& row : r.rows) {
    double f = row.section.name == "inner" ? 1 + slower / 100 : 1;
    row.fig[0].mean *= f;
    for (unsigned b = 0; b < k; b++) {
      EventFigures e = row.fig;
      e[0].mean *= noise(rng);
      row.batches.push_back(e);
      row.batches_excl.push_back(e);
      row.batch_measured.push_back(row.stats.count ? 100 : 0);
    }
  }
  r.batches = k;
  if (drop_other) r.rows.erase(r.rows.begin() + 3);
  return r;
}

const SectionDiff* find(const Diff& d, const std::string& name) {
  for (const SectionDiff& s : d.sections)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace

TEST(Diff, FlagsATenPercentSlowdownOnly) {
  Diff d = diff_reports(with_batches(10, 0, 1), with_batches(10, 10, 2), DiffOptions{});
  const SectionDiff* inner = find(d, "inner");
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->test, "batches");
  EXPECT_NEAR(inner->change, 10, 2);  // the median batch: within the 2% noise
  EXPECT_TRUE(inner->significant);
  EXPECT_LT(inner->p, 0.001);
  EXPECT_GT(inner->ci.low, 5);
  for (const char* same : {"outer", "leaf", "other"}) {
    ASSERT_TRUE(find(d, same)) << same;
    EXPECT_FALSE(find(d, same)->significant) << same;
  }
  EXPECT_EQ(find(d, "never")->test, "none");
}

TEST(Diff, RerunsOfOneBuildAreNotFlagged) {
  for (unsigned seed = 0; seed < 20; seed++) {
    Diff d =
        diff_reports(with_batches(10, 0, seed), with_batches(10, 0, seed + 100), DiffOptions{});
    for (const SectionDiff& s : d.sections) EXPECT_FALSE(s.significant) << s.name << " " << seed;
  }
}

TEST(Diff, SectionsInOneRunOnlyAreListed) {
  Diff d = diff_reports(with_batches(5, 0, 1), with_batches(5, 0, 2, true), DiffOptions{});
  ASSERT_EQ(d.only_a.size(), 1u);
  EXPECT_EQ(d.only_a[0], "other");
  EXPECT_TRUE(d.only_b.empty());
}

TEST(Diff, WithoutBatchesTheHistogramsDecide) {
  Report a = test::view_report(), b = test::view_report();
  for (ReportRow& row : b.rows)
    if (row.section.name == "inner") {
      row.fig[0].mean *= 1.2;
      row.hist[4 * 7 + 1] = row.hist[4 * 7];  // one bucket up: about 25% more
      row.hist[4 * 7] = 0;
    }
  Diff d = diff_reports(a, b, DiffOptions{});
  EXPECT_EQ(find(d, "inner")->test, "histogram");
  EXPECT_TRUE(find(d, "inner")->significant);
  EXPECT_FALSE(find(d, "outer")->significant);
  EXPECT_FALSE(d.notes.empty());
}

// A batch hit by an interrupt has a mean far off: the trimmed means and
// the median keep it out.
TEST(Diff, OneBadBatchIsNotASlowdown) {
  Report a = with_batches(10, 0, 1), b = with_batches(10, 0, 2);
  for (ReportRow& row : b.rows)
    if (!row.batches.empty()) row.batches[3][0].mean *= 3;
  for (const SectionDiff& s : diff_reports(a, b, DiffOptions{}).sections)
    EXPECT_FALSE(s.significant) << s.name;
}

TEST(Diff, TrimmedMeansLeaveTheSlowestOut) {
  SectionStats raw;
  raw.count = 100;
  raw.ev[0].sum = 99 * 10 + 10000;  // 99 executions of 10, one of 10000
  Histogram h{};
  h[4 * 2 + 1] = 99;  // [10, 12)
  h[4 * 12] = 1;      // [8192, 10240): taken out at its middle, 9216
  Figures fig{raw.mean(0), 10, 10000};
  EXPECT_NEAR(trimmed_mean(h, raw, fig, 0.01), (990 + 10000 - 9216) / 99.0, 1e-9);
  fig.mean -= 5;  // calibrated: 5 less per execution
  EXPECT_NEAR(trimmed_mean(h, raw, fig, 0.01), (990 + 10000 - 9216) / 99.0 - 5, 1e-9);
}

TEST(Diff, RefusesDifferentEvents) {
  Report a = test::view_report(), b = test::view_report();
  b.events[0].name = "cycles";
  EXPECT_THROW(diff_reports(a, b, DiffOptions{}), Error);
}
