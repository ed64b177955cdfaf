#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "libinxpect/error.h"
#include "libinxpect/section_table.h"

using namespace inxpect;
using namespace std::string_literals;

namespace {

// A record as inxpect.h lays it out, with a padding NUL after it; START
// sites get the next slot.
std::string site(const char* kind, const char* name, unsigned line, const std::string& extra = "") {
  static unsigned next_slot;
  std::string slot = std::string(kind) == "start" ? "\0slot="s + std::to_string(next_slot++) : "";
  return "site="s + kind + "\0name="s + name + slot + "\0file=prog.c\0line="s +
         std::to_string(line) + extra + "\0\0"s;
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
  EXPECT_EQ(s->slots.size(), 2u);
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
  EXPECT_THROW(SectionTable::parse("name=x\0"s), Error);  // no site=
  EXPECT_THROW(SectionTable::parse("site=middle\0name=x\0slot=0\0file=f\0line=1\0"s),
               Error);  // kind
  EXPECT_THROW(SectionTable::parse("site=start\0name=x\0slot=0\0file=f\0line=abc\0"s), Error);
  EXPECT_THROW(SectionTable::parse("site=start\0name=1x\0slot=0\0file=f\0line=1\0"s), Error);
  EXPECT_THROW(SectionTable::parse("site=start\0name=x\0slot=0\0line=1\0"s), Error);  // no file
  EXPECT_THROW(SectionTable::parse("site=start\0garbage\0"s), Error);                 // no '='
  EXPECT_THROW(SectionTable::parse("site=start\0name=x\0slot=z\0file=f\0line=1\0"s), Error);
}

TEST(SectionTable, StartWithoutSlotIsAnOlderObject) {
  try {
    SectionTable::parse("site=start\0name=x\0file=f\0line=1\0"s);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("older than this runtime"), std::string::npos);
  }
}

TEST(SectionTable, SlotsNameTheirSections) {
  auto t = SectionTable::parse(
      "site=start\0name=a\0slot=7\0file=f\0line=1\0site=end\0name=a\0file=f\0line=2\0"
      "site=start\0name=b\0slot=3\0file=f\0line=3\0site=end\0name=b\0file=f\0line=4\0"
      "site=start\0name=a\0slot=9\0file=f\0line=5\0"s);
  EXPECT_EQ(t.by_slot(7)->name, "a");
  EXPECT_EQ(t.by_slot(9)->name, "a");
  EXPECT_EQ(t.by_slot(3)->name, "b");
  EXPECT_EQ(t.by_slot(4), nullptr);
  EXPECT_EQ(t.find("a")->slots, (std::vector<uint32_t>{7, 9}));
}

TEST(SectionTable, HandWrittenSlotsAddTheirBase) {
  auto t = SectionTable::parse(
      "site=start\0name=h\0slot=2\0base=5\0file=f\0line=1\0site=end\0name=h\0file=f\0"
      "line=2\0site=start\0name=i\0slot=0\0file=f\0line=3\0site=end\0name=i\0file=f\0line=4\0"s);
  EXPECT_EQ(t.by_slot(7)->name, "h");
  EXPECT_TRUE(t.find("h")->hand);
  EXPECT_FALSE(t.find("i")->hand);
}

TEST(SectionTable, OneSlotTwoNamesIsAnError) {
  EXPECT_THROW(SectionTable::parse("site=start\0name=a\0slot=1\0file=f\0line=1\0"
                                   "site=start\0name=b\0slot=1\0file=g\0line=1\0"s),
               Error);
}

// Parent linking is one sweep per file: 50,000 sections parse in well
// under a second (it used to take seconds, comparing every pair).
TEST(SectionTable, ManySectionsParseFast) {
  std::string bytes;
  for (unsigned i = 0; i < 50000; i++) {
    std::string n = "s" + std::to_string(i), l = std::to_string(i + 1);
    bytes += "site=start\0name="s + n + "\0slot="s + std::to_string(i) + "\0file=f\0line="s + l +
             "\0site=end\0name="s + n + "\0file=f\0line="s + l + "\0"s;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto t = SectionTable::parse(bytes);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(t.sections().size(), 50000u);
  EXPECT_LT(s, 1.0);
}
