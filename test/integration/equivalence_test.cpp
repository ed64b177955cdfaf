// Instrumentation must not change what a program does: the same packets give
// the same action and the same output bytes as the bare build.
#include <gtest/gtest.h>

#include <algorithm>

#include "bpf_env.h"
#include "libinxpect/session.h"
#include "libinxpect/test_run.h"

using namespace inxpect;
using namespace inxpect::test;

namespace {

// Routed, unrouted, TTL-expiring, IPv6 and TCP traffic.
const char* kCorpus =
    "udp4,count=200,dst=192.168.0.0/16,size=64;"
    "udp4,count=50,dst=0.0.0.0/0,size=300;"
    "udp4,count=20,ttl=1;"
    "tcp4,count=50,dst=10.0.0.0/8,size=80;"
    "udp6,count=30;tcp6,count=30,size=120";

void expect_same(const std::string& instrumented, const std::string& bare, const std::string& prog,
                 const LoadOptions& opts) {
  if (instrumented.rfind(INXPECT_EXAMPLES_DIR, 0) == 0)
    INXPECT_REQUIRE_EXAMPLES();
  else
    INXPECT_REQUIRE_BPF();
  auto packets = generate_packets(kCorpus);
  RunOptions ro;
  ro.keep_output = true;
  Session a(instrumented, opts), b(bare, opts);
  RunResult ra = test_run(a.program_fd(prog), packets, ro);
  RunResult rb = test_run(b.program_fd(prog), packets, ro);
  ASSERT_EQ(ra.results.size(), rb.results.size());
  for (size_t i = 0; i < ra.results.size(); i++) {
    EXPECT_EQ(ra.results[i].action, rb.results[i].action) << "packet " << i;
    EXPECT_EQ(ra.results[i].out, rb.results[i].out) << "packet " << i;
  }
  EXPECT_TRUE(b.sections().empty());
  EXPECT_FALSE(a.sections().empty());
}

}  // namespace

TEST(Equivalence, Drop) {
  expect_same(example_object("drop.o"), example_object("drop.bare.o"), "xdp_drop", {});
}

TEST(Equivalence, Router) {
  LoadOptions o;
  o.map_fills = {{"routes", example_object("routes.txt")}};
  expect_same(example_object("router.o"), example_object("router.bare.o"), "xdp_router", o);
}

TEST(Equivalence, RouterSampled) {
  LoadOptions o;
  o.sample_rate = 3;
  o.map_fills = {{"routes", example_object("routes.txt")}};
  expect_same(example_object("router.o"), example_object("router.bare.o"), "xdp_router", o);
}

TEST(Equivalence, Cms) {
  expect_same(example_object("cms.o"), example_object("cms.bare.o"), "xdp_cms", {});
}

// Both sessions start with empty tables, so they bind the same ports.
TEST(Equivalence, Nat) {
  expect_same(example_object("nat.o"), example_object("nat.bare.o"), "xdp_nat", {});
}

TEST(Equivalence, Tunnel) {
  LoadOptions o;
  o.map_fills = {{"tunnels", example_object("tunnels.txt")}};
  expect_same(example_object("tunnel.o"), example_object("tunnel.bare.o"), "xdp_tunnel", o);
}

TEST(Equivalence, TestPrograms) {
  for (const char* prog : {"xdp_nested", "xdp_branches", "xdp_many"})
    expect_same(itest_object("sections.o"), itest_object("sections.bare.o"), prog, {});
}

TEST(Router, ForwardsWithRewrittenHeaders) {
  INXPECT_REQUIRE_EXAMPLES();
  LoadOptions o;
  o.map_fills = {{"routes", example_object("routes.txt")}};
  Session s(example_object("router.o"), o);
  RunOptions ro;
  ro.keep_output = true;
  auto in = generate_packets("udp4,count=20,dst=192.168.3.0/24,ttl=9;udp4,count=5,ttl=1");
  RunResult r = test_run(s.program_fd("xdp_router"), in, ro);
  for (size_t i = 0; i < 20; i++) {
    ASSERT_EQ(r.results[i].action, 3u /* XDP_TX */);
    const Packet& p = r.results[i].out;
    EXPECT_EQ(p[14 + 8], 8) << "TTL decremented";
    const uint8_t next_hop_smac[6] = {0x02, 0, 0, 0, 0, 0xfe};  // what routes.py gives every hop
    EXPECT_TRUE(std::equal(next_hop_smac, next_hop_smac + 6, p.begin() + 6));
    EXPECT_EQ(p[4], 0x01) << "a next hop's dmac, not the packet's";
    // The IPv4 header checksum still verifies.
    uint32_t sum = 0;
    for (int b = 0; b < 20; b += 2) sum += (p[14 + b] << 8) | p[14 + b + 1];
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    EXPECT_EQ(sum, 0xffffu);
  }
  for (size_t i = 20; i < 25; i++) EXPECT_EQ(r.results[i].action, 2u /* XDP_PASS */);
}
