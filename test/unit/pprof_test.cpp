// The pprof profile, gunzipped and parsed with the same profile.proto,
// against the JSON report's figures.
#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <sstream>

#include "libinxpect/json_value.h"
#include "libinxpect/pprof.h"
#include "libinxpect/views.h"
#include "profile.pb.h"
#include "views_fixture.h"

using namespace inxpect;

namespace {

std::string gunzip(const std::string& z) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  inflateEnd(&s);
  return out;
}

}  // namespace

TEST(Pprof, SamplesAreTheJsonExclusiveTotals) {
  Report r = test::view_report(4);
  std::ostringstream json;
  make_formatter("json")->write(r, json);
  Report back = read_report_json(json.str());
  std::string z = pprof_profile(back);
  ASSERT_GE(z.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);  // gzip
  EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
  perftools::profiles::Profile p;
  ASSERT_TRUE(p.ParseFromString(gunzip(z)));
  auto str = [&](int64_t i) { return p.string_table(static_cast<int>(i)); };
  ASSERT_EQ(p.sample_type_size(), 2);
  EXPECT_EQ(str(p.sample_type(0).type()), "ktime");
  EXPECT_EQ(str(p.sample_type(0).unit()), "nanoseconds");
  EXPECT_EQ(p.period(), 4);
  std::map<uint64_t, std::string> name_of;
  std::map<uint64_t, std::string> file_line;
  for (const auto& f : p.function()) name_of[f.id()] = str(f.name());
  for (const auto& l : p.location())
    file_line[l.id()] = str(p.function(static_cast<int>(l.line(0).function_id() - 1)).filename()) +
                        ":" + std::to_string(l.line(0).line());
  JsonValue j = parse_json(json.str());
  std::map<std::string, std::pair<double, double>> want;  // stack -> ktime, executions
  for (const JsonValue& path : j["paths"].array())
    want["xdp_p;" + path["path"].string()] = {
        path["events"]["ktime"]["exclusive_mean"].number() * path["executions"].number(),
        path["executions"].number()};
  ASSERT_EQ(p.sample_size(), 4);
  for (const auto& s : p.sample()) {
    std::string stack;
    for (int k = s.location_id_size() - 1; k >= 0; k--)
      stack += (stack.empty() ? "" : ";") + name_of[s.location_id(k)];
    ASSERT_TRUE(want.count(stack)) << stack;
    EXPECT_NEAR(static_cast<double>(s.value(0)), want[stack].first, 0.5) << stack;
    ASSERT_EQ(s.label_size(), 1);
    EXPECT_EQ(str(s.label(0).key()), "executions");
    EXPECT_EQ(static_cast<double>(s.label(0).num()), want[stack].second);
    if (stack == "xdp_p;outer;inner") EXPECT_EQ(file_line[s.location_id(0)], "p.c:11");
  }
}
