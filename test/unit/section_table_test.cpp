#include <gtest/gtest.h>

#include <string>

#include "libinxpect/error.h"
#include "libinxpect/section_table.h"

using namespace inxpect;
using namespace std::string_literals;

namespace {

// A record exactly as inxpect.h lays it out, with a padding NUL after it.
std::string site(const char* kind, const char* name, unsigned line, const std::string& extra = "") {
  return "site="s + kind + "\0name="s + name + "\0file=prog.c\0line="s + std::to_string(line) +
         extra + "\0\0"s;
}

}  // namespace

TEST(SectionTable, IdsFollowFirstAppearance) {
  auto t = SectionTable::parse(site("start", "outer", 10) + site("start", "inner", 12) +
                               site("end", "inner", 14) + site("end", "outer", 20));
  ASSERT_EQ(t.sections().size(), 2u);
  EXPECT_EQ(t.sections()[0].name, "outer");
  EXPECT_EQ(t.sections()[0].id, 0u);
  EXPECT_EQ(t.sections()[1].name, "inner");
  EXPECT_EQ(t.sections()[1].id, 1u);
  EXPECT_TRUE(t.warnings().empty());
}

TEST(SectionTable, RangesAndSitesFromSeveralPlaces) {
  auto t =
      SectionTable::parse(site("start", "s", 30) + site("end", "s", 35) + site("start", "s", 10) +
                          site("end", "s", 12) + site("end", "s", 40));
  const Section* s = t.find("s");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->line, 10u);
  EXPECT_EQ(s->end_line, 40u);
  EXPECT_EQ(s->starts, 2u);
  EXPECT_EQ(s->ends, 3u);
}

TEST(SectionTable, NestingInferredFromSourceRanges) {
  auto t =
      SectionTable::parse(site("start", "a", 10) + site("start", "b", 11) + site("start", "c", 12) +
                          site("end", "c", 13) + site("end", "b", 14) + site("start", "d", 15) +
                          site("end", "d", 16) + site("end", "a", 20));
  EXPECT_EQ(t.find("a")->parent, -1);
  EXPECT_EQ(t.find("b")->parent, static_cast<int>(t.find("a")->id));
  EXPECT_EQ(t.find("c")->parent, static_cast<int>(t.find("b")->id));
  EXPECT_EQ(t.find("d")->parent, static_cast<int>(t.find("a")->id));
  EXPECT_EQ(t.find("c")->depth, 2u);
}

TEST(SectionTable, RecordedParentWins) {
  // A function section called from a block elsewhere in the file: the
  // ranges do not nest, the instrumenter knows better.
  auto t = SectionTable::parse(site("start", "helper", 5, "\0parent=caller"s) +
                               site("end", "helper", 7) + site("start", "caller", 20) +
                               site("end", "caller", 30));
  EXPECT_EQ(t.find("helper")->parent, static_cast<int>(t.find("caller")->id));
  EXPECT_EQ(t.find("helper")->depth, 1u);
}

TEST(SectionTable, RecordedCycleIsBroken) {
  auto t = SectionTable::parse(site("start", "a", 5, "\0parent=b"s) + site("end", "a", 6) +
                               site("start", "b", 8, "\0parent=a"s) + site("end", "b", 9));
  EXPECT_FALSE(t.warnings().empty());
  EXPECT_TRUE(t.find("a")->parent == -1 || t.find("b")->parent == -1);
}

TEST(SectionTable, UnmatchedSitesWarn) {
  auto t = SectionTable::parse(site("start", "only_start", 5) + site("end", "only_end", 9));
  ASSERT_EQ(t.warnings().size(), 2u);
  EXPECT_NE(t.warnings()[0].find("only_start"), std::string::npos);
  EXPECT_NE(t.warnings()[1].find("only_end"), std::string::npos);
}

TEST(SectionTable, LongNamesAreKeptWhole) {
  std::string name(200, 'x');
  auto t = SectionTable::parse(site("start", name.c_str(), 1) + site("end", name.c_str(), 2));
  EXPECT_EQ(t.sections()[0].name, name);
}

TEST(SectionTable, UnknownKeysAreSkipped) {
  auto t = SectionTable::parse(site("start", "s", 1, "\0func=main\0col=3"s) + site("end", "s", 2));
  EXPECT_EQ(t.sections().size(), 1u);
}

TEST(SectionTable, EmptyInputIsEmptyTable) { EXPECT_TRUE(SectionTable::parse("").empty()); }

TEST(SectionTable, MalformedRecordsAreErrors) {
  EXPECT_THROW(SectionTable::parse("name=x\0"s), Error);                                // no site=
  EXPECT_THROW(SectionTable::parse("site=middle\0name=x\0file=f\0line=1\0"s), Error);   // bad kind
  EXPECT_THROW(SectionTable::parse("site=start\0name=x\0file=f\0line=abc\0"s), Error);  // line
  EXPECT_THROW(SectionTable::parse("site=start\0name=1x\0file=f\0line=1\0"s), Error);  // identifier
  EXPECT_THROW(SectionTable::parse("site=start\0name=x\0line=1\0"s), Error);           // no file
  EXPECT_THROW(SectionTable::parse("site=start\0garbage\0"s), Error);                  // no '='
}

TEST(SectionTable, OutOfLineSectionsAreMarked) {
  auto t = SectionTable::parse(site("start", "a", 1, "\0call=1"s) + site("end", "a", 2) +
                               site("start", "b", 3) + site("end", "b", 4));
  EXPECT_TRUE(t.find("a")->out_of_line);
  EXPECT_FALSE(t.find("b")->out_of_line);
}
