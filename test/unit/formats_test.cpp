// Every output format carries the same numbers.
#include <gtest/gtest.h>

#include <sstream>

#include "libinxpect/error.h"
#include "libinxpect/report.h"

using namespace inxpect;
using namespace std::string_literals;

namespace {

Report sample_report(std::optional<Calibration> cal = std::nullopt) {
  SectionTable table = SectionTable::parse(
      "site=start\0name=outer\0file=p.c\0line=10\0"
      "site=start\0name=inner\0file=p.c\0line=11\0"
      "site=end\0name=inner\0file=p.c\0line=12\0"
      "site=end\0name=outer\0file=p.c\0line=20\0"s);
  Snapshot snap;
  snap.per_cpu.assign(2, std::vector<SectionStats>(2));
  auto set = [](SectionStats& s, uint64_t count, uint64_t sum, uint64_t min, uint64_t max) {
    s.count = count;
    s.ev[0] = EventStats{sum, min, max};
    s.ev[1] = EventStats{sum * 2, min * 2, max * 2};
  };
  set(snap.per_cpu[0][0], 4, 400, 90, 110);
  set(snap.per_cpu[1][0], 4, 440, 100, 120);
  set(snap.per_cpu[0][1], 8, 200, 20, 30);
  snap.total.assign(2, SectionStats{});
  for (auto& cpu : snap.per_cpu)
    for (size_t i = 0; i < 2; i++) snap.total[i].merge(cpu[i], 2);

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
  fill_rows(r, table, snap, true);
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
  EXPECT_DOUBLE_EQ(r.rows[0].share, 100.0);
  EXPECT_NEAR(r.rows[1].share, 100.0 * 25 * 16 / (105.0 * 16), 1e-9);
  EXPECT_EQ(r.rows[1].section.parent, 0);
}

TEST(Formats, TableShowsTheFigures) {
  std::string t = render("table", sample_report());
  EXPECT_NE(t.find("outer"), std::string::npos);
  EXPECT_NE(t.find("  inner"), std::string::npos);  // indented under its parent
  EXPECT_NE(t.find("105.0"), std::string::npos);
  EXPECT_NE(t.find("123.5 ns/run"), std::string::npos);
  EXPECT_NE(t.find("XDP_DROP 8"), std::string::npos);
  EXPECT_NE(t.find("cpu1"), std::string::npos);
}

TEST(Formats, JsonCarriesTheSameNumbers) {
  std::string j = render("json", sample_report());
  EXPECT_NE(j.find("\"name\":\"outer\""), std::string::npos);
  EXPECT_NE(j.find("\"measured\":8,\"executions\":16"), std::string::npos);
  EXPECT_NE(j.find("\"ktime\":{\"mean\":105,\"min\":90,\"max\":120,\"sum\":840,\"raw_mean\":105,"
                   "\"raw_min\":90,"
                   "\"raw_max\":120}"),
            std::string::npos);
  EXPECT_NE(j.find("\"calibration\":null"), std::string::npos);
  EXPECT_NE(j.find("\"instructions\":{\"mean\":210,\"min\":180,\"max\":240"), std::string::npos);
  EXPECT_NE(j.find("\"parent\":0"), std::string::npos);
  EXPECT_NE(j.find("\"program_ns_per_run\":123.5"), std::string::npos);
  EXPECT_NE(j.find("\"per_cpu\":[{\"cpu\":0"), std::string::npos);
  EXPECT_EQ(j.back(), '\n');
}

TEST(Formats, CsvCarriesTheSameNumbers) {
  std::string c = render("csv", sample_report());
  EXPECT_EQ(c.substr(0, c.find('\n')),
            "id,section,parent,file,line,cpu,measured,executions,event,mean,min,max,sum,raw_mean,"
            "raw_min,raw_max,"
            "share_percent");
  EXPECT_NE(c.find("\n0,outer,,p.c,10,all,8,16,ktime,105,90,120,840,105,90,120,100\n"),
            std::string::npos);
  EXPECT_NE(c.find("\n1,inner,0,p.c,11,all,8,16,instructions,50,40,60,400,50,40,60,"),
            std::string::npos);
  EXPECT_NE(c.find("\n0,outer,,p.c,10,1,4,8,ktime,110,100,120,440,110,100,120,\n"),
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
  cal.inlined.fixed[0] = 10;
  cal.inlined.nested[0] = 40;
  Report r = sample_report(cal);
  EXPECT_DOUBLE_EQ(r.rows[0].fig[0].mean, 105 - 10 - 1.0 * 40);  // one inner per outer
  EXPECT_DOUBLE_EQ(r.rows[0].fig[0].min, 90 - 10 - 40);
  EXPECT_DOUBLE_EQ(r.rows[1].fig[0].mean, 25 - 10);  // no nested sections
  EXPECT_DOUBLE_EQ(r.rows[1].fig[0].max, 30 - 10);
  EXPECT_DOUBLE_EQ(r.rows[0].stats.mean(0), 105);  // raw figures stay
  // Per CPU: cpu1 ran outer 4 times and inner never, so only the fixed cost goes.
  EXPECT_DOUBLE_EQ(r.rows[0].per_cpu_fig[1][0].mean, 110 - 10);
  EXPECT_NEAR(r.rows[1].share, 100.0 * 15 / 55, 1e-9);
}

TEST(Calibration, NeverBelowZero) {
  Calibration cal;
  cal.inlined.fixed[0] = 1000;
  Report r = sample_report(cal);
  EXPECT_EQ(r.rows[0].fig[0].mean, 0.0);
  EXPECT_EQ(r.rows[0].fig[0].min, 0.0);
}

TEST(Calibration, ShownInEveryFormat) {
  Calibration cal;
  cal.inlined.fixed[0] = 10;
  cal.inlined.nested[0] = 40;
  Report r = sample_report(cal);
  EXPECT_NE(render("table", r)
                .find("calibrated: less the profiler's own cost per section (ktime 10.0 +40.0"),
            std::string::npos);
  std::string j = render("json", r);
  EXPECT_NE(j.find("\"calibration\":{\"ktime\":{\"fixed\":10,\"nested\":40,\"fixed_call\":0,"
                   "\"nested_call\":0}"),
            std::string::npos);
  EXPECT_NE(j.find("\"ktime\":{\"mean\":55,\"min\":40,\"max\":70,\"sum\":840,\"raw_mean\":105"),
            std::string::npos);
  EXPECT_NE(render("csv", r).find("\n0,outer,,p.c,10,all,8,16,ktime,55,40,70,840,105,90,120,"),
            std::string::npos);
}

TEST(Calibration, OutOfLineSectionsUseTheirOwnCost) {
  SectionTable table = SectionTable::parse(
      "site=start\0name=f\0file=p.c\0line=1\0call=1\0"
      "site=end\0name=f\0file=p.c\0line=9\0"s);
  Snapshot snap;
  snap.per_cpu.assign(1, std::vector<SectionStats>(1));
  snap.per_cpu[0][0].count = 2;
  snap.per_cpu[0][0].ev[0] = EventStats{100, 50, 50};
  snap.total = snap.per_cpu[0];
  Report r;
  r.events = {Event{"ktime", "ns", Source::Ktime}};
  Calibration cal;
  cal.inlined.fixed[0] = 10;
  cal.out_of_line.fixed[0] = 20;
  r.calibration = cal;
  fill_rows(r, table, snap, false);
  EXPECT_DOUBLE_EQ(r.rows[0].fig[0].mean, 30);
}
