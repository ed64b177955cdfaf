// The tracing library and runtime against the kernel: counts, nesting,
// sampling and enable/disable at run time, error paths.
#include <bpf/bpf.h>
#include <gtest/gtest.h>

#include "bpf_env.h"
#include "libinxpect/error.h"
#include "libinxpect/report.h"
#include "libinxpect/session.h"
#include "libinxpect/stats.h"
#include "libinxpect/test_run.h"

using namespace inxpect;
using namespace inxpect::test;

namespace {

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    INXPECT_REQUIRE_BPF();
    pin_to_cpu0();
  }

  // Runs `prog` over `packets` x `repeat` and returns the totals by section name.
  static SectionStats run(Session& s, const std::string& prog, const std::vector<Packet>& packets,
                          uint32_t repeat, const std::string& section) {
    RunOptions o;
    o.repeat = repeat;
    test_run(s.program_fd(prog), packets, o);
    return s.section(section);
  }
};

const std::vector<Packet> kSmall = generate_packets("udp4,count=100,size=64");

}  // namespace

TEST_F(SessionTest, CountsEqualRuns) {
  Session s(itest_object("sections.o"), {});
  EXPECT_EQ(run(s, "xdp_nested", kSmall, 3, "outer").count, 300u);
  for (const char* name : {"outer", "inner_a", "inner_b"}) {
    EXPECT_EQ(s.section(name).count, 300u) << name;
    EXPECT_EQ(s.section(name).bad, 0u) << name;
  }
}

TEST_F(SessionTest, ParentIsAtLeastTheSumOfItsChildren) {
  Session s(itest_object("sections.o"), {});
  run(s, "xdp_nested", kSmall, 5, "outer");
  SectionStats outer = s.section("outer"), a = s.section("inner_a"), b = s.section("inner_b");
  EXPECT_EQ(s.sections().find("inner_a")->parent, static_cast<int>(s.sections().find("outer")->id));
  EXPECT_GE(outer.ev[0].sum, a.ev[0].sum + b.ev[0].sum);
  EXPECT_GE(outer.ev[0].min, a.ev[0].min);
  EXPECT_LE(outer.ev[0].min, outer.ev[0].max);
}

// 1 run in N on average, at random intervals; the sections of one run are
// measured together, so nested sections count exactly what their parent does.
TEST_F(SessionTest, SamplingKeepsRunsWholeAndChangesWithoutReload) {
  LoadOptions o;
  o.sample_rate = 7;
  Session s(itest_object("sections.o"), o);
  uint64_t n = run(s, "xdp_nested", kSmall, 30, "outer").count;
  EXPECT_NEAR(static_cast<double>(n), 3000.0 / 7, 60);  // about 5 standard deviations
  EXPECT_EQ(s.section("inner_a").count, n);
  EXPECT_EQ(s.section("inner_b").count, n);
  s.reset();
  s.set_sample_rate(64);
  n = run(s, "xdp_nested", kSmall, 100, "inner_b").count;
  EXPECT_NEAR(static_cast<double>(n), 10000.0 / 64, 60);
  s.reset();
  s.set_sample_rate(1);
  EXPECT_EQ(run(s, "xdp_nested", kSmall, 1, "outer").count, 100u);
}

// Traffic whose period is the sampling rate: a countdown would measure the
// same packet of every period; random intervals measure each kind of
// packet in proportion.
TEST_F(SessionTest, PeriodicTrafficDoesNotAlias) {
  LoadOptions o;
  o.sample_rate = 8;
  Session s(itest_object("sections.o"), o);
  std::vector<Packet> period = generate_packets("udp4,count=1,size=200;udp4,count=7,size=64");
  std::vector<Packet> traffic;
  for (int i = 0; i < 1000; i++) traffic.insert(traffic.end(), period.begin(), period.end());
  RunOptions ro;
  test_run(s.program_fd("xdp_branches"), traffic, ro);
  // "shared" has a START site in each branch: the big packets' is its first.
  SectionStats all = s.section("shared");
  EXPECT_NEAR(static_cast<double>(all.count), 8000.0 / 8, 120);
  const Section* shared = s.sections().find("shared");
  ASSERT_EQ(shared->slots.size(), 2u);
  uint64_t big = 0;
  for (const PathStats& p : s.snapshot().paths)
    if (p.slot == shared->slots[0]) big += p.stats.count;
  // 1000 big packets, 1 in 8 measured: about 125, where a countdown of 8
  // measures the same position of every period (0 or 1000).
  EXPECT_NEAR(static_cast<double>(big), 125, 45);
  Report r;
  r.events = s.events();
  r.sample_rate = 8;
  fill_rows(r, s.sections(), s.snapshot(), false);
  ASSERT_EQ(r.paths.size(), 1u);  // one section shows once, whatever its START sites
  EXPECT_EQ(r.paths[0].stats.count, all.count);
}

TEST_F(SessionTest, EnableDisableWithoutReload) {
  LoadOptions o;
  o.disabled = {"inner_a"};
  Session s(itest_object("sections.o"), o);
  run(s, "xdp_nested", kSmall, 1, "outer");
  EXPECT_EQ(s.section("inner_a").count, 0u);
  EXPECT_EQ(s.section("inner_b").count, 100u);
  s.set_enabled("inner_a", true);
  s.set_enabled("outer", false);
  run(s, "xdp_nested", kSmall, 1, "outer");
  EXPECT_EQ(s.section("inner_a").count, 100u);
  EXPECT_EQ(s.section("outer").count, 100u);  // only the first run
  EXPECT_THROW(s.set_enabled("no_such_section", false), Error);
}

TEST_F(SessionTest, SectionEnteredFromSeveralPlaces) {
  Session s(itest_object("sections.o"), {});
  auto mixed = generate_packets("udp4,count=30,size=64;udp4,count=20,size=200");
  EXPECT_EQ(run(s, "xdp_branches", mixed, 2, "shared").count, 100u);
}

// Finding 3 of the reliability issue: a START whose END never ran (a tail
// call, an early return) is never paired with a later run's END.
TEST_F(SessionTest, TailCallLeavesNoStaleStart) {
  for (uint32_t rate : {1u, 7u}) {
    LoadOptions o;
    o.sample_rate = rate;
    Session s(itest_object("sections.o"), o);
    int jmp = s.map_fd("jmp"), target = s.program_fd("xdp_tailcalled");
    uint32_t zero = 0;
    ASSERT_EQ(bpf_map_update_elem(jmp, &zero, &target, BPF_ANY), 0);
    // Tail-called (200 bytes) and direct (64 bytes) packets, interleaved.
    auto mixed = generate_packets("udp4,count=1,size=200;udp4,count=1,size=64");
    std::vector<Packet> traffic;
    for (int i = 0; i < 2500; i++) traffic.insert(traffic.end(), mixed.begin(), mixed.end());
    RunResult res = test_run(s.program_fd("xdp_tail"), traffic, RunOptions{});
    EXPECT_EQ(res.actions[XDP_PASS], 2500u);  // the tail calls landed
    SectionStats st = s.section("before_tail");
    if (rate == 1)
      EXPECT_EQ(st.count, 2500u);
    else
      EXPECT_NEAR(static_cast<double>(st.count) * rate, 2500.0, 400) << "rate " << rate;
    // A pairing across runs would span a whole test run: milliseconds.
    EXPECT_LT(st.ev[0].max, 100000u) << "rate " << rate;
  }
}

TEST_F(SessionTest, EarlyReturnLeavesNoStaleStart) {
  Session s(itest_object("sections.o"), {});
  auto mixed = generate_packets("udp4,count=1,size=200;udp4,count=1,size=64");
  std::vector<Packet> traffic;
  for (int i = 0; i < 1000; i++) traffic.insert(traffic.end(), mixed.begin(), mixed.end());
  test_run(s.program_fd("xdp_early"), traffic, RunOptions{});
  SectionStats st = s.section("early");
  EXPECT_EQ(st.count, 1000u);
  EXPECT_LT(st.ev[0].max, 100000u);
}

TEST_F(SessionTest, SeventySectionsInOneProgram) {
  Session s(itest_object("sections.o"), {});
  run(s, "xdp_many", kSmall, 1, "many_10");
  auto snap = s.snapshot();
  unsigned many = 0;
  for (const Section& sec : s.sections().sections()) {
    if (sec.name.rfind("many_", 0) != 0) continue;
    many++;
    EXPECT_EQ(section_total(snap, sec, 1).count, 100u) << sec.name;
  }
  EXPECT_EQ(many, 70u);
}

TEST_F(SessionTest, SeveralProgramsShareTheTable) {
  Session s(itest_object("sections.o"), {});
  EXPECT_EQ(s.program_names(),
            (std::vector<std::string>{"xdp_nested", "xdp_branches", "xdp_many", "xdp_tailcalled",
                                      "xdp_tail", "xdp_early"}));
  run(s, "xdp_branches", kSmall, 1, "shared");
  EXPECT_EQ(s.section("outer").count, 0u);
}

TEST_F(SessionTest, ClearErrors) {
  try {
    Session s(itest_object("sections.o"), {});
    s.program_fd("xdp_nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("programs: xdp_nested, xdp_branches, xdp_many,"),
              std::string::npos);
  }
  EXPECT_THROW(Session(INXPECT_TEST_SRC_DIR "/README.md", {}), Error);
  EXPECT_THROW(Session("/nonexistent.o", {}), Error);
  LoadOptions o;
  o.disabled = {"nope"};
  EXPECT_THROW(Session(itest_object("sections.o"), o), Error);
}

TEST_F(SessionTest, VerifierRejectionShowsTheLogTail) {
  try {
    Session s(itest_object("rejected.o"), {});
    FAIL() << "the verifier accepted an unchecked packet read";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("verifier rejected"), std::string::npos) << msg;
    EXPECT_NE(msg.find("invalid access to packet"), std::string::npos) << msg;
  }
}
