// Every output format carries the same numbers.
#include <gtest/gtest.h>

#include <sstream>

#include "libinxpect/error.h"
#include "libinxpect/report.h"

using namespace inxpect;
using namespace std::string_literals;

namespace {

// outer (slot 0) holds inner (slot 1): on cpu0 outer ran 4 times and inner
// 8, on cpu1 outer ran 4 times alone.
const uint64_t kOuter = 1, kInner = kOuter * INXPECT_PATH_MUL + 2;

PathStats path(uint64_t key, uint64_t parent, uint32_t slot, uint64_t count, uint64_t sum,
               uint64_t min, uint64_t max) {
  PathStats p;
  p.key = key;
  p.parent = parent;
  p.slot = slot;
  p.depth = parent ? 2 : 1;
  p.stats.count = count;
  p.stats.ev[0] = EventStats{sum, min, max};
  p.stats.ev[1] = EventStats{sum * 2, min * 2, max * 2};
  // All in the bucket of the mean, inside min and max as real ones are.
  uint64_t mean = sum / count;
  p.hist[inxpect_hist_bucket(mean, 63 - __builtin_clzll(mean))] = count;
  return p;
}

Snapshot sample_snapshot() {
  Snapshot snap;
  snap.per_cpu.resize(2);
  snap.per_cpu[0].push_back(path(kOuter, 0, 0, 4, 400, 90, 110));
  snap.per_cpu[0].push_back(path(kInner, kOuter, 1, 8, 200, 20, 30));
  snap.per_cpu[1].push_back(path(kOuter, 0, 0, 4, 440, 100, 120));
  for (auto& cpu : snap.per_cpu)
    for (const PathStats& p : cpu) merge_path(snap.paths, p, 2);
  return snap;
}

Report sample_report(std::optional<Calibration> cal = std::nullopt) {
  SectionTable table = SectionTable::parse(
      "site=start\0name=outer\0slot=0\0file=p.c\0line=10\0"
      "site=start\0name=inner\0slot=1\0file=p.c\0line=11\0"
      "site=end\0name=inner\0file=p.c\0line=12\0"
      "site=end\0name=outer\0file=p.c\0line=20\0"s);
  Report r;
  r.object = "p.o";
  r.program = "xdp_p";
  r.backend = "ktime";
  r.events = {Event{"ktime", "ns", Source::Ktime},
              Event{"instructions", "instructions", Source::Perf}};
  r.sample_rate = 2;
  r.packets = 8;
  r.runs = 16;
  r.program_ns_per_run = 123.5;
  r.actions["XDP_DROP"] = 8;
  r.calibration = cal;
  fill_rows(r, table, sample_snapshot(), true);
  return r;
}

std::string render(const std::string& fmt, const Report& r) {
  std::ostringstream out;
  make_formatter(fmt)->write(r, out);
  return out.str();
}

}  // namespace

TEST(Report, RowsSharesAndSampling) {
  Report r = sample_report();
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].stats.count, 8u);
  EXPECT_EQ(r.rows[0].executions, 16u);  // sampled 1 in 2
  EXPECT_DOUBLE_EQ(r.rows[0].stats.mean(0), 105.0);
  // Exclusive: outer less its 8 inner executions of 25 over its 8 = 80.
  EXPECT_DOUBLE_EQ(r.rows[0].excl[0].mean, 80.0);
  EXPECT_DOUBLE_EQ(r.rows[0].share, 100.0 * 80 / 105);
  EXPECT_DOUBLE_EQ(r.rows[1].share, 100.0 * 25 / 105);
  EXPECT_DOUBLE_EQ(r.rows[0].share + r.rows[1].share, 100.0);
}

TEST(Report, CallTree) {
  Report r = sample_report();
  ASSERT_EQ(r.paths.size(), 2u);
  EXPECT_EQ(r.paths[0].path, "outer");
  EXPECT_EQ(r.paths[1].path, "outer;inner");
  EXPECT_EQ(r.paths[1].parent, 0);
  EXPECT_EQ(r.paths[1].depth, 1u);
  EXPECT_DOUBLE_EQ(r.paths[0].fig.incl[0].mean, 105.0);
  EXPECT_DOUBLE_EQ(r.paths[0].fig.excl[0].mean, 80.0);
  EXPECT_DOUBLE_EQ(r.paths[0].share + r.paths[1].share, 100.0);
}

// A section reached from two parents shows under both; its flat row sums them.
TEST(Report, SectionUnderTwoParents) {
  SectionTable table = SectionTable::parse(
      "site=start\0name=a\0slot=0\0file=p.c\0line=1\0site=end\0name=a\0file=p.c\0line=2\0"
      "site=start\0name=b\0slot=1\0file=p.c\0line=3\0site=end\0name=b\0file=p.c\0line=4\0"
      "site=start\0name=f\0slot=2\0file=p.c\0line=5\0site=end\0name=f\0file=p.c\0line=6\0"s);
  uint64_t a = 1, b = 2, fa = a * INXPECT_PATH_MUL + 3, fb = b * INXPECT_PATH_MUL + 3;
  Snapshot snap;
  snap.per_cpu.resize(1);
  for (const PathStats& p : {path(a, 0, 0, 10, 1000, 100, 100), path(b, 0, 1, 10, 2000, 200, 200),
                             path(fa, a, 2, 10, 300, 30, 30), path(fb, b, 2, 20, 1200, 60, 60)})
    merge_path(snap.paths, p, 1);
  snap.per_cpu[0] = snap.paths;
  Report r;
  r.events = {Event{"ktime", "ns", Source::Ktime}};
  fill_rows(r, table, snap, false);
  ASSERT_EQ(r.paths.size(), 4u);
  EXPECT_EQ(r.paths[1].path, "a;f");
  EXPECT_EQ(r.paths[3].path, "b;f");
  EXPECT_DOUBLE_EQ(r.paths[0].fig.excl[0].mean, 70);  // 100 - 30
  EXPECT_DOUBLE_EQ(r.paths[2].fig.excl[0].mean, 80);  // 200 - 2 x 60
  EXPECT_EQ(r.rows[2].stats.count, 30u);
  EXPECT_DOUBLE_EQ(r.rows[2].fig[0].mean, 50);  // (300 + 1200) / 30
}

// A section with two START sites (slots 0 and 1), each with the same child
// section: one path each, not two, and the child under the merged parent.
TEST(Report, SectionStartedInTwoPlacesIsOnePath) {
  SectionTable table = SectionTable::parse(
      "site=start\0name=s\0slot=0\0file=p.c\0line=1\0site=end\0name=s\0file=p.c\0line=2\0"
      "site=start\0name=s\0slot=1\0file=p.c\0line=5\0site=end\0name=s\0file=p.c\0line=6\0"
      "site=start\0name=c\0slot=2\0file=p.c\0line=3\0site=end\0name=c\0file=p.c\0line=4\0"s);
  uint64_t s0 = 1, s1 = 2, c0 = s0 * INXPECT_PATH_MUL + 3, c1 = s1 * INXPECT_PATH_MUL + 3;
  Snapshot snap;
  snap.per_cpu.resize(1);
  for (const PathStats& p : {path(s0, 0, 0, 10, 1000, 100, 100), path(s1, 0, 1, 30, 1200, 40, 40),
                             path(c0, s0, 2, 10, 300, 30, 30), path(c1, s1, 2, 30, 300, 10, 10)})
    merge_path(snap.paths, p, 1);
  snap.per_cpu[0] = snap.paths;
  Report r;
  r.events = {Event{"ktime", "ns", Source::Ktime}};
  fill_rows(r, table, snap, true);
  ASSERT_EQ(r.paths.size(), 2u);
  EXPECT_EQ(r.paths[0].path, "s");
  EXPECT_EQ(r.paths[0].stats.count, 40u);
  EXPECT_EQ(r.paths[1].path, "s;c");
  EXPECT_EQ(r.paths[1].parent, 0);
  EXPECT_EQ(r.paths[1].stats.count, 40u);
  EXPECT_DOUBLE_EQ(r.paths[0].fig.excl[0].mean, 40);  // (2200 - 600) / 40
  EXPECT_EQ(r.rows[0].stats.count, 40u);
  EXPECT_EQ(r.rows[0].per_cpu[0].count, 40u);
}

TEST(Formats, TableShowsTheTree) {
  std::string t = render("table", sample_report());
  EXPECT_NE(t.find("outer"), std::string::npos);
  EXPECT_NE(t.find("  inner"), std::string::npos);  // indented under its parent
  EXPECT_NE(t.find("105.0"), std::string::npos);
  EXPECT_NE(t.find("80.0"), std::string::npos);
  EXPECT_NE(t.find("123.5 ns/run"), std::string::npos);
  EXPECT_NE(t.find("XDP_DROP 8"), std::string::npos);
}

TEST(Formats, FlatTableShowsCpus) {
  Report r = sample_report();
  r.flat = true;
  EXPECT_NE(render("table", r).find("cpu1"), std::string::npos);
}

TEST(Formats, JsonCarriesTheSameNumbers) {
  std::string j = render("json", sample_report());
  EXPECT_NE(j.find("\"name\":\"outer\""), std::string::npos);
  EXPECT_NE(j.find("\"measured\":8,\"executions\":16"), std::string::npos);
  EXPECT_NE(
      j.find("\"ktime\":{\"mean\":105,\"exclusive_mean\":80,\"min\":90,\"max\":120,\"sum\":840,"
             "\"raw_mean\":105,\"raw_min\":90,\"raw_max\":120,\"p50\":104"),
      std::string::npos);
  EXPECT_NE(j.find("\"calibration\":null"), std::string::npos);
  EXPECT_NE(j.find("\"instructions\":{\"mean\":210,"), std::string::npos);
  EXPECT_NE(j.find("\"parent\":0"), std::string::npos);
  EXPECT_NE(j.find("\"path\":\"outer;inner\""), std::string::npos);
  EXPECT_NE(j.find("\"program_ns_per_run\":123.5"), std::string::npos);
  EXPECT_NE(j.find("\"per_cpu\":[{\"cpu\":0"), std::string::npos);
  EXPECT_EQ(j.back(), '\n');
}

TEST(Formats, CsvCarriesTheSameNumbers) {
  std::string c = render("csv", sample_report());
  EXPECT_EQ(c.substr(0, c.find('\n')),
            "id,section,path,file,line,cpu,measured,executions,event,mean,exclusive_mean,min,max,"
            "sum,raw_mean,raw_min,raw_max,p50,p90,p99,share_percent");
  EXPECT_NE(c.find("\n0,outer,,p.c,10,all,8,16,ktime,105,80,90,120,840,105,90,120,104,"),
            std::string::npos);
  EXPECT_NE(
      c.find("\n1,inner,outer;inner,p.c,11,all,8,16,instructions,50,50,40,60,400,50,40,60,,,,"),
      std::string::npos);
}

TEST(Formats, JsonEscapesStrings) {
  Report r = sample_report();
  r.notes.push_back("a \"quoted\"\nnote");
  EXPECT_NE(render("json", r).find("a \\\"quoted\\\"\\nnote"), std::string::npos);
}

TEST(Formats, UnknownFormat) { EXPECT_THROW(make_formatter("xml"), Error); }

// outer: 8 measured, mean 105, min 90, max 120; inner nested once per outer
// execution: mean 25, min 20, max 30.
TEST(Calibration, SubtractsFixedAndNestedCost) {
  Calibration cal;
  cal.instrumented.fixed[0] = 10;
  cal.instrumented.nested[0] = 40;
  Report r = sample_report(cal);
  EXPECT_DOUBLE_EQ(r.rows[0].fig[0].mean, 105 - 10 - 1.0 * 40);  // one inner per outer
  EXPECT_DOUBLE_EQ(r.rows[0].fig[0].min, 90 - 10 - 40);
  EXPECT_DOUBLE_EQ(r.rows[1].fig[0].mean, 25 - 10);  // no nested sections
  EXPECT_DOUBLE_EQ(r.rows[1].fig[0].max, 30 - 10);
  EXPECT_DOUBLE_EQ(r.rows[0].excl[0].mean, 55 - 15);
  EXPECT_DOUBLE_EQ(r.rows[0].stats.mean(0), 105);  // raw figures stay
  // Per CPU: cpu1 ran outer 4 times and inner never, so only the fixed cost goes.
  EXPECT_DOUBLE_EQ(r.rows[0].per_cpu_fig[1][0].mean, 110 - 10);
  EXPECT_NEAR(r.rows[1].share, 100.0 * 15 / 55, 1e-9);
}

TEST(Calibration, NeverBelowZeroNorItsChildren) {
  Calibration cal;
  cal.instrumented.fixed[0] = 1000;
  Report r = sample_report(cal);
  EXPECT_EQ(r.rows[0].fig[0].mean, 0.0);
  EXPECT_EQ(r.rows[0].fig[0].min, 0.0);
  // Calibrated below its child, a parent is raised to it: no share over 100%.
  cal.instrumented.fixed[0] = 0;
  cal.instrumented.nested[0] = 100;
  r = sample_report(cal);
  EXPECT_DOUBLE_EQ(r.rows[0].fig[0].mean, 25);
  EXPECT_DOUBLE_EQ(r.rows[0].excl[0].mean, 0);
  for (const ReportRow& row : r.rows) EXPECT_LE(row.share, 100.0);
}

TEST(Calibration, ShownInEveryFormat) {
  Calibration cal;
  cal.instrumented.fixed[0] = 10;
  cal.instrumented.nested[0] = 40;
  Report r = sample_report(cal);
  EXPECT_NE(render("table", r)
                .find("calibrated: less the profiler's own cost per section (ktime 10.0 +40.0"),
            std::string::npos);
  std::string j = render("json", r);
  EXPECT_NE(j.find("\"calibration\":{\"ktime\":{\"fixed\":10,\"nested\":40,\"spread\":0,"
                   "\"fixed_hand\":0,\"nested_hand\":0}"),
            std::string::npos);
  EXPECT_NE(j.find("\"ktime\":{\"mean\":55,\"exclusive_mean\":40,\"min\":40,\"max\":70,"
                   "\"sum\":840,\"raw_mean\":105"),
            std::string::npos);
}

TEST(Calibration, HandWrittenSectionsUseTheirOwnCost) {
  SectionTable table = SectionTable::parse(
      "site=start\0name=f\0slot=0\0base=0\0file=p.c\0line=1\0"
      "site=end\0name=f\0file=p.c\0line=9\0"s);
  Snapshot snap;
  snap.per_cpu.resize(1);
  merge_path(snap.paths, path(1, 0, 0, 2, 100, 50, 50), 1);
  snap.per_cpu[0] = snap.paths;
  Report r;
  r.events = {Event{"ktime", "ns", Source::Ktime}};
  Calibration cal;
  cal.instrumented.fixed[0] = 10;
  cal.hand.fixed[0] = 20;
  r.calibration = cal;
  fill_rows(r, table, snap, false);
  EXPECT_DOUBLE_EQ(r.rows[0].fig[0].mean, 30);
}
