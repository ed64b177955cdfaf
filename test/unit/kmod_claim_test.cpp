// The module's counter slots between processes, against a fake
// /dev/inxpect that behaves as the module does: ABI 1 keeps one
// configuration for everybody, ABI 2 counts the files that hold it and
// refuses other events with EBUSY.
#include <gtest/gtest.h>
#include <linux/perf_event.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "libinxpect/error.h"
#include "libinxpect/kmod_claim.h"

using namespace inxpect;

namespace {

// One module, seen through several open files.
struct FakeModule {
  unsigned abi = 1;
  bool pmu = true;
  inxpect_kmod_config cfg{};  // what is configured
  unsigned holders = 0;       // ABI 2
  int set_calls = 0;
  int refuse_event = -1;  // this event index fails with ENOENT
};

class FakeFile : public KmodDevice {
 public:
  explicit FakeFile(FakeModule& m) : m_(m) {}
  ~FakeFile() override { close(); }
  void close() {
    // ABI 2: closing the last holder releases the counters.
    if (m_.abi >= 2 && held_ && --m_.holders == 0) m_.cfg.nr_events = 0;
    held_ = false;
  }
  int info(inxpect_kmod_info* out) override {
    std::memset(out, 0, sizeof(*out));
    out->abi_version = m_.abi;
    out->pmu_present = m_.pmu;
    out->nr_slots = m_.cfg.nr_events;
    out->cfg_flags = m_.cfg.flags;
    std::memcpy(out->ev, m_.cfg.ev, sizeof(out->ev));
    return 0;
  }
  int set_events(inxpect_kmod_config* c) override {
    m_.set_calls++;
    if (m_.abi >= 2) {
      if (c->nr_events == 0) {
        if (held_ && --m_.holders == 0) m_.cfg.nr_events = 0;
        held_ = false;
        return 0;
      }
      bool same = c->nr_events == m_.cfg.nr_events &&
                  !std::memcmp(c->ev, m_.cfg.ev, c->nr_events * sizeof(c->ev[0]));
      if (m_.holders > (held_ ? 1u : 0u) && !same) return -EBUSY;
      if (!held_) m_.holders++;
      held_ = true;
    }
    if (m_.refuse_event >= 0 && static_cast<uint32_t>(m_.refuse_event) < c->nr_events) {
      c->err[m_.refuse_event] = -ENOENT;
      m_.cfg.nr_events = 0;
      return -ENOENT;
    }
    m_.cfg = *c;
    return 0;
  }

 private:
  FakeModule& m_;
  bool held_ = false;
};

Event hw(const char* name, uint64_t config) {
  Event e;
  e.name = name;
  e.perf_type = PERF_TYPE_HARDWARE;
  e.perf_config = config;
  e.hardware = true;
  e.source = Source::KfPmc;
  return e;
}

const std::vector<Event> kInstr{hw("instructions", PERF_COUNT_HW_INSTRUCTIONS)};
const std::vector<Event> kCycles{hw("cycles", PERF_COUNT_HW_CPU_CYCLES)};

std::string error_of(KmodDevice& dev, const std::vector<Event>& ev, bool others) {
  try {
    claim_counters(dev, ev, others);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(KmodClaim, Abi1TheLastProcessGivesTheCountersBack) {
  FakeModule m;
  FakeFile a(m), b(m);
  EXPECT_TRUE(claim_counters(a, kInstr, false));
  // A second process with the same events shares them, untouched.
  EXPECT_FALSE(claim_counters(b, kInstr, true));
  EXPECT_EQ(m.set_calls, 1);
  // The first one ends: the other still reads them.
  release_counters(a, kInstr, true);
  EXPECT_EQ(m.cfg.nr_events, 1u);
  // The last one ends: released (they stayed configured for good before).
  release_counters(b, kInstr, false);
  EXPECT_EQ(m.cfg.nr_events, 0u);
}

TEST(KmodClaim, Abi1OtherEventsAreRefusedWhileAnotherProcessUsesThem) {
  FakeModule m;
  FakeFile a(m), b(m);
  claim_counters(a, kInstr, false);
  std::string why = error_of(b, kCycles, true);
  EXPECT_NE(why.find("in use by another process with other events (instructions; this run asks "
                     "for cycles)"),
            std::string::npos)
      << why;
  EXPECT_EQ(m.set_calls, 1);  // never silently replaced
  EXPECT_EQ(m.cfg.ev[0].config, static_cast<uint64_t>(PERF_COUNT_HW_INSTRUCTIONS));
  // What a process that is gone left behind is replaced.
  EXPECT_TRUE(claim_counters(b, kCycles, false));
  EXPECT_EQ(m.cfg.ev[0].config, static_cast<uint64_t>(PERF_COUNT_HW_CPU_CYCLES));
  // A process does not release what another configured since.
  release_counters(a, kInstr, false);
  EXPECT_EQ(m.cfg.nr_events, 1u);
}

TEST(KmodClaim, Abi2SharesTheSameEventsAndTurnsEbusyIntoOneLine) {
  FakeModule m;
  m.abi = 2;
  FakeFile a(m), b(m), c(m);
  EXPECT_TRUE(claim_counters(a, kInstr, false));
  EXPECT_TRUE(claim_counters(b, kInstr, true));  // shared: the module counts both
  EXPECT_EQ(m.holders, 2u);
  std::string why = error_of(c, kCycles, true);
  EXPECT_EQ(why,
            "the module's counters are in use by another process with other events "
            "(instructions; this run asks for cycles): wait for it to end, or ask for the same "
            "events");
  release_counters(a, kInstr, true);
  EXPECT_EQ(m.cfg.nr_events, 1u);
  b.close();  // a process killed: its file closes, the module lets go
  EXPECT_EQ(m.cfg.nr_events, 0u);
}

TEST(KmodClaim, RefusalsNameTheEvent) {
  FakeModule m;
  m.refuse_event = 1;
  FakeFile a(m);
  std::vector<Event> two{kInstr[0], kCycles[0]};
  EXPECT_EQ(error_of(a, two, false),
            "event 'cycles' is not available on this machine (no hardware PMU?)");
  m.refuse_event = -1;
  m.pmu = false;
  EXPECT_NE(error_of(a, kInstr, false).find("no hardware PMU: 'instructions'"), std::string::npos);
}
