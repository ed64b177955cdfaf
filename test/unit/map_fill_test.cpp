#include <gtest/gtest.h>

#include <algorithm>

#include "libinxpect/error.h"
#include "libinxpect/map_fill.h"

using namespace inxpect;

TEST(MapFill, ParsesEntriesAndComments) {
  auto e = parse_map_entries(
      "# routes\n18000000c0a80100 01000000\n\n  0800000a0a000000 02000000 # x\n", "f", 8, 4);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].first[0], 0x18);
  EXPECT_EQ(e[0].first[4], 0xc0);
  EXPECT_EQ(e[1].second[0], 0x02);
}

TEST(MapFill, RejectsWrongSizesAndGarbage) {
  EXPECT_THROW(parse_map_entries("0102 03\n", "f", 2, 2), Error);
  EXPECT_THROW(parse_map_entries("01zz 0304\n", "f", 2, 2), Error);
  EXPECT_THROW(parse_map_entries("0102\n", "f", 2, 2), Error);
  EXPECT_THROW(parse_map_entries("0102 0304 0506\n", "f", 2, 2), Error);
  EXPECT_THROW(parse_map_entries("012 0304\n", "f", 2, 2), Error);
}

TEST(MapFill, ErrorNamesTheLine) {
  try {
    parse_map_entries("0102 0304\nbad\n", "routes.txt", 2, 2);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("routes.txt:2"), std::string::npos);
  }
}

TEST(MapFill, PerCpuValueFillsEverySlot) {
  std::vector<uint8_t> v{1, 2, 3, 4, 5};
  std::vector<uint8_t> all = per_cpu_value(v, 3);
  ASSERT_EQ(all.size(), 24u);  // 5 rounded up to 8, three times
  for (size_t cpu = 0; cpu < 3; cpu++) {
    EXPECT_TRUE(std::equal(v.begin(), v.end(), all.begin() + static_cast<long>(8 * cpu)));
    EXPECT_EQ(all[8 * cpu + 5], 0);
  }
  EXPECT_THROW(per_cpu_value(v, 0), Error);
  EXPECT_THROW(per_cpu_value(std::vector<uint8_t>(1 << 20), 1 << 20), Error);
}

TEST(MapFill, LongLinesAreRefusedBySizeNamingTheMap) {
  try {
    parse_map_entries(std::string(1 << 20, 'a') + " 00\n", "f", 2, 1, "map 'm' of x.o");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("map 'm' of x.o takes 2+1"), std::string::npos);
  }
}
