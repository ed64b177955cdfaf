// The tracing library and runtime against the kernel: counts, nesting,
// sampling and enable/disable at run time, error paths.
#include <gtest/gtest.h>

#include "bpf_env.h"
#include "libinxpect/error.h"
#include "libinxpect/session.h"
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
    const Section* sec = s.sections().find(section);
    EXPECT_NE(sec, nullptr) << section;
    return sec ? s.snapshot().total[sec->id] : SectionStats{};
  }
};

const std::vector<Packet> kSmall = generate_packets("udp4,count=100,size=64");

}  // namespace

TEST_F(SessionTest, CountsEqualRuns) {
  Session s(itest_object("sections.o"), {});
  EXPECT_EQ(run(s, "xdp_nested", kSmall, 3, "outer").count, 300u);
  auto snap = s.snapshot();
  for (const char* name : {"outer", "inner_a", "inner_b"}) {
    EXPECT_EQ(snap.total[s.sections().find(name)->id].count, 300u) << name;
    EXPECT_EQ(snap.total[s.sections().find(name)->id].bad, 0u) << name;
  }
}

TEST_F(SessionTest, ParentIsAtLeastTheSumOfItsChildren) {
  Session s(itest_object("sections.o"), {});
  run(s, "xdp_nested", kSmall, 5, "outer");
  auto snap = s.snapshot();
  const auto& outer = snap.total[s.sections().find("outer")->id];
  const auto& a = snap.total[s.sections().find("inner_a")->id];
  const auto& b = snap.total[s.sections().find("inner_b")->id];
  EXPECT_EQ(s.sections().find("inner_a")->parent, static_cast<int>(s.sections().find("outer")->id));
  EXPECT_GE(outer.ev[0].sum, a.ev[0].sum + b.ev[0].sum);
  EXPECT_GE(outer.ev[0].min, a.ev[0].min);
  EXPECT_LE(outer.ev[0].min, outer.ev[0].max);
}

TEST_F(SessionTest, SamplingIsExactAndChangesWithoutReload) {
  LoadOptions o;
  o.sample_rate = 7;
  Session s(itest_object("sections.o"), o);
  EXPECT_EQ(run(s, "xdp_nested", kSmall, 3, "outer").count, expected_measured(300, 7));
  s.reset();
  s.set_sample_rate(64);
  EXPECT_EQ(run(s, "xdp_nested", kSmall, 10, "inner_b").count, expected_measured(1000, 64));
  s.reset();
  s.set_sample_rate(1);
  EXPECT_EQ(run(s, "xdp_nested", kSmall, 1, "outer").count, 100u);
}

TEST_F(SessionTest, EnableDisableWithoutReload) {
  LoadOptions o;
  o.disabled = {"inner_a"};
  Session s(itest_object("sections.o"), o);
  run(s, "xdp_nested", kSmall, 1, "outer");
  auto snap = s.snapshot();
  EXPECT_EQ(snap.total[s.sections().find("inner_a")->id].count, 0u);
  EXPECT_EQ(snap.total[s.sections().find("inner_b")->id].count, 100u);
  s.set_enabled("inner_a", true);
  s.set_enabled("outer", false);
  run(s, "xdp_nested", kSmall, 1, "outer");
  snap = s.snapshot();
  EXPECT_EQ(snap.total[s.sections().find("inner_a")->id].count, 100u);
  EXPECT_EQ(snap.total[s.sections().find("outer")->id].count, 100u);  // only the first run
  EXPECT_THROW(s.set_enabled("no_such_section", false), Error);
}

TEST_F(SessionTest, SectionEnteredFromSeveralPlaces) {
  Session s(itest_object("sections.o"), {});
  auto mixed = generate_packets("udp4,count=30,size=64;udp4,count=20,size=200");
  EXPECT_EQ(run(s, "xdp_branches", mixed, 2, "shared").count, 100u);
}

TEST_F(SessionTest, EndWithoutStartRecordsNothing) {
  Session s(itest_object("sections.o"), {});
  auto st = run(s, "xdp_branches", kSmall, 2, "orphan");
  EXPECT_EQ(st.count, 0u);
  EXPECT_EQ(st.bad, 0u);
  bool warned = false;
  for (const std::string& w : s.sections().warnings())
    warned |= w.find("orphan") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(SessionTest, SeventySectionsInOneProgram) {
  Session s(itest_object("sections.o"), {});
  run(s, "xdp_many", kSmall, 1, "many_10");
  auto snap = s.snapshot();
  unsigned many = 0;
  for (const Section& sec : s.sections().sections()) {
    if (sec.name.rfind("many_", 0) != 0) continue;
    many++;
    EXPECT_EQ(snap.total[sec.id].count, 100u) << sec.name;
  }
  EXPECT_EQ(many, 70u);
}

TEST_F(SessionTest, SeveralProgramsShareTheTable) {
  Session s(itest_object("sections.o"), {});
  EXPECT_EQ(s.program_names(),
            (std::vector<std::string>{"xdp_nested", "xdp_branches", "xdp_many"}));
  run(s, "xdp_branches", kSmall, 1, "shared");
  EXPECT_EQ(s.snapshot().total[s.sections().find("outer")->id].count, 0u);
}

TEST_F(SessionTest, ClearErrors) {
  try {
    Session s(itest_object("sections.o"), {});
    s.program_fd("xdp_nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("programs: xdp_nested, xdp_branches, xdp_many"),
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
