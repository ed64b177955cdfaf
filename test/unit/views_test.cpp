// Folded stacks, the SVG flame graph, the JSON read back and annotated
// source, each checked against the figures of the JSON report.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "libinxpect/annotate.h"
#include "libinxpect/error.h"
#include "libinxpect/json_value.h"
#include "libinxpect/views.h"
#include "views_fixture.h"

using namespace inxpect;
using inxpect::test::view_report;

namespace {

std::string render(const std::string& fmt, const Report& r) {
  std::ostringstream out;
  make_formatter(fmt)->write(r, out);
  return out.str();
}

// The report as a reader of its JSON sees it.
Report through_json(const Report& r) { return read_report_json(render("json", r)); }

// Path -> exclusive total (first event), from the JSON.
std::map<std::string, double> json_exclusive_totals(const std::string& json) {
  std::map<std::string, double> out;
  JsonValue j = parse_json(json);
  for (const JsonValue& p : j["paths"].array())
    out["xdp_p;" + p["path"].string()] =
        p["events"]["ktime"]["exclusive_mean"].number() * p["executions"].number();
  return out;
}

}  // namespace

TEST(JsonRead, ReportRoundTrips) {
  Report r = view_report(4), back = through_json(r);
  EXPECT_EQ(back.program, "xdp_p");
  EXPECT_EQ(back.sample_rate, 4u);
  ASSERT_EQ(back.events.size(), 2u);
  ASSERT_EQ(back.rows.size(), r.rows.size());
  ASSERT_EQ(back.paths.size(), r.paths.size());
  for (size_t i = 0; i < r.rows.size(); i++) {
    EXPECT_EQ(back.rows[i].section.name, r.rows[i].section.name);
    EXPECT_EQ(back.rows[i].section.end_line, r.rows[i].section.end_line);
    EXPECT_EQ(back.rows[i].executions, r.rows[i].executions);
    EXPECT_NEAR(back.rows[i].fig[0].mean, r.rows[i].fig[0].mean, 1e-3);
    EXPECT_NEAR(back.rows[i].excl[1].mean, r.rows[i].excl[1].mean, 1e-3);
    EXPECT_EQ(back.rows[i].hist, r.rows[i].hist);
  }
  for (size_t i = 0; i < r.paths.size(); i++) {
    EXPECT_EQ(back.paths[i].path, r.paths[i].path);
    EXPECT_EQ(back.paths[i].parent, r.paths[i].parent);
    EXPECT_EQ(back.paths[i].section.file, "p.c");
    EXPECT_NEAR(back.paths[i].error, r.paths[i].error, 1e-6);
  }
}

TEST(JsonRead, RefusesWhatIsNotAReport) {
  EXPECT_THROW(read_report_json("{\"error\":{\"message\":\"x\"}}"), Error);
  EXPECT_THROW(read_report_json("[1,2"), Error);
  EXPECT_THROW(parse_json("{\"a\":1} x"), Error);
  EXPECT_EQ(parse_json("\"\\u00e9\\ud83d\\ude00\"").string(), "\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(Folded, WeightsAreTheJsonExclusiveTotals) {
  Report r = view_report();
  std::map<std::string, double> want = json_exclusive_totals(render("json", r));
  std::istringstream folded(render("folded", r));
  std::string line;
  size_t lines = 0;
  while (std::getline(folded, line)) {
    size_t sp = line.rfind(' ');
    std::string stack = line.substr(0, sp);
    ASSERT_TRUE(want.count(stack)) << line;
    EXPECT_EQ(std::stoll(line.substr(sp + 1)), std::llround(want[stack])) << line;
    lines++;
  }
  EXPECT_EQ(lines, 4u);  // outer, outer;inner, outer;inner;leaf, other
  // outer: 500 less inner's 300 = 200 x 1000.
  EXPECT_NE(render("folded", r).find("xdp_p;outer 200000\n"), std::string::npos);
  EXPECT_NE(render("folded", r).find("xdp_p;outer;inner;leaf 200000\n"), std::string::npos);
}

TEST(Folded, SamplingScalesToEstimatedExecutions) {
  EXPECT_NE(render("folded", view_report(8)).find("xdp_p;other 400000\n"), std::string::npos);
}

TEST(Flame, FromFoldedEqualsFromReport) {
  Report r = view_report();
  FlameGraph a = flame_from_report(through_json(r)), b = flame_from_folded(render("folded", r));
  EXPECT_EQ(a.root.name, "xdp_p");
  EXPECT_EQ(b.root.name, "xdp_p");
  EXPECT_NEAR(a.root.total, b.root.total, 2);
  EXPECT_NEAR(a.root.total, 200000 + 100000 + 200000 + 50000, 1);
  ASSERT_EQ(a.root.children.size(), 2u);
  EXPECT_EQ(a.root.children[0].location, "p.c:10");
  EXPECT_EQ(a.root.children[0].executions, 1000u);
  EXPECT_THROW(flame_from_folded("a;b\n"), Error);
  EXPECT_THROW(flame_from_folded("a;b x\n"), Error);
}

TEST(Flame, SvgFramesCarryTheJsonFigures) {
  Report r = view_report(4);
  std::string json = render("json", r);
  std::ostringstream svg;
  write_flamegraph_svg(flame_from_report(read_report_json(json)), FlameOptions{}, svg);
  std::string s = svg.str();
  EXPECT_EQ(s.rfind("<?xml", 0), 0u);
  EXPECT_NE(s.find("</svg>"), std::string::npos);
  EXPECT_NE(s.find("<script"), std::string::npos);  // clickable, self-contained
  // Each frame: its name, total and self, and a tooltip with file:line.
  std::regex frame(
      "<g class=\"f\" data-name=\"([^\"]+)\" data-x=\"[0-9.]+\" data-w=\"([0-9.]+)\" "
      "data-d=\"([0-9]+)\" data-total=\"([0-9.]+)\" "
      "data-self=\"([0-9.]+)\"><title>([^<]*)</title>");
  std::map<std::string, std::pair<double, std::string>> seen;
  double root = 0;
  for (std::sregex_iterator it(s.begin(), s.end(), frame), end; it != end; ++it) {
    const std::smatch& m = *it;
    seen[m[1]] = {std::stod(m[4]), m[6]};
    if (m[3] == "0") root = std::stod(m[4]);
  }
  ASSERT_EQ(seen.size(), 5u);  // xdp_p, outer, inner, leaf, other
  std::map<std::string, double> excl = json_exclusive_totals(json);
  EXPECT_NEAR(seen["leaf"].first, excl["xdp_p;outer;inner;leaf"], 0.01);
  EXPECT_NEAR(seen["inner"].first, excl["xdp_p;outer;inner"] + excl["xdp_p;outer;inner;leaf"],
              0.01);
  double sum = 0;
  for (const auto& [path, t] : excl) sum += t;
  EXPECT_NEAR(root, sum, 0.01);
  EXPECT_NE(seen["inner"].second.find("inner (p.c:11)"), std::string::npos);
  EXPECT_NE(seen["inner"].second.find("4000 est. executions"), std::string::npos);
  EXPECT_NE(seen["inner"].second.find("+- "), std::string::npos);  // sampled: its error
}

TEST(Uncertainty, ZeroUnsampledAndShrinksWithSamples) {
  SectionStats s;
  s.count = 100;
  Histogram h{};
  h[20] = 100;  // one bucket: the values barely spread
  EXPECT_EQ(sampled_total_error(s, h, 1), 0.0);
  double e = sampled_total_error(s, h, 64);
  EXPECT_NEAR(e, std::sqrt((1 - 1.0 / 64) / 3 / 100), 1e-3);
  s.count = 10000;
  EXPECT_LT(sampled_total_error(s, h, 64), e / 9);
  s.count = 0;
  EXPECT_TRUE(std::isinf(sampled_total_error(s, h, 64)));
  Report r = view_report(16);
  EXPECT_GT(r.paths[0].error, 0.0);
  EXPECT_EQ(view_report(1).paths[0].error, 0.0);
}

TEST(Annotate, FiguresSitOnEachSectionsFirstLine) {
  std::string dir = ::testing::TempDir();
  {
    std::ofstream src(dir + "/p.c");
    for (int l = 1; l <= 60; l++) src << "line" << l << "\n";
  }
  Report r = view_report();
  Annotation a = annotate(r, {dir});
  ASSERT_EQ(a.files.size(), 1u);
  const AnnotatedFile& f = a.files[0];
  EXPECT_EQ(f.found, dir + "/p.c");
  EXPECT_EQ(f.first, 10u);
  EXPECT_EQ(f.last, 51u);
  EXPECT_EQ(f.lines[11].text, "line12");
  // leaf (line 12): 200000 of 550000; inner (line 11): 100000.
  EXPECT_NEAR(f.lines[11].share, 100.0 * 200000 / 550000, 1e-6);
  EXPECT_NEAR(f.lines[10].share, 100.0 * 100000 / 550000, 1e-6);
  EXPECT_EQ(f.lines[11].executions, 4000u);
  EXPECT_EQ(f.lines[14].mark, SourceLine::Mark::Ran);       // in inner
  EXPECT_EQ(f.lines[49].mark, SourceLine::Mark::NeverRan);  // never
  EXPECT_EQ(f.lines[50].mark, SourceLine::Mark::NeverRan);
  EXPECT_EQ(f.lines[34].mark, SourceLine::Mark::Outside);

  std::ostringstream text, color, html;
  write_annotation_text(a, AnnotateOptions{false, 1}, text);
  EXPECT_NE(text.str().find("  36.4%       50.0       4000     12 | line12"), std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("  never" + std::string(21, ' ') + "0     50 - line50"),
            std::string::npos);
  EXPECT_EQ(text.str().find("\033["), std::string::npos);
  write_annotation_text(a, AnnotateOptions{true, 1}, color);
  EXPECT_NE(color.str().find("\033[31m"), std::string::npos);  // hot: red
  EXPECT_NE(color.str().find("\033[2m"), std::string::npos);   // never ran: dim
  write_annotation_html(a, html);
  EXPECT_NE(html.str().find("<tr class=\"never\""), std::string::npos);
  EXPECT_NE(html.str().find("line12"), std::string::npos);
}

TEST(Annotate, SourceNotFoundStillListsSections) {
  Annotation a = annotate(view_report(), {"/nonexistent"});
  std::ostringstream text;
  write_annotation_text(a, AnnotateOptions{}, text);
  EXPECT_NE(text.str().find("source not found"), std::string::npos);
  EXPECT_NE(text.str().find("(leaf)"), std::string::npos);
}
