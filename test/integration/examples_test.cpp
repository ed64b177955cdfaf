// What the evaluation programs do, on known packets: the count-min sketch
// counts every flow in every row, the NAT rewrites sources consistently with
// valid checksums, the tunnel prepends a correct outer header.
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "bpf_env.h"
#include "cms/cms.h"
#include "libinxpect/session.h"
#include "libinxpect/test_run.h"
#include "nat/nat.h"
#include "tunnel/tunnel.h"

using namespace inxpect;
using namespace inxpect::test;

namespace {

constexpr uint32_t kDrop = 1, kPass = 2, kTx = 3;  // enum xdp_action
constexpr size_t kEth = 14, kIp = 20;

uint16_t be16(const Packet& p, size_t off) {
  return static_cast<uint16_t>(p[off] << 8 | p[off + 1]);
}
uint32_t be32(const Packet& p, size_t off) {
  return uint32_t(be16(p, off)) << 16 | be16(p, off + 2);
}
// A field as it lies in memory, as the programs' maps keep it.
uint32_t raw32(const Packet& p, size_t off) {
  uint32_t v;
  std::memcpy(&v, &p[off], 4);
  return v;
}

uint32_t sum16(const Packet& p, size_t off, size_t len, uint32_t acc = 0) {
  for (size_t i = 0; i + 1 < len; i += 2) acc += be16(p, off + i);
  if (len & 1) acc += p[off + len - 1] << 8;
  return acc;
}

uint16_t fold(uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
  return static_cast<uint16_t>(acc);
}

// The IPv4 header at `off` sums to 0xffff, checksum included.
bool ip_checksum_ok(const Packet& p, size_t off) { return fold(sum16(p, off, kIp)) == 0xffff; }

// The TCP or UDP checksum of the IPv4 packet at `off`, with its pseudo-header.
bool l4_checksum_ok(const Packet& p, size_t off) {
  size_t l4 = off + kIp, len = be16(p, off + 2) - kIp;
  uint32_t acc = sum16(p, off + 12, 8) + p[off + 9] + static_cast<uint32_t>(len);
  return fold(sum16(p, l4, len, acc)) == 0xffff;
}

void set_ip_checksum(Packet& p, size_t off) {
  p[off + 10] = p[off + 11] = 0;
  uint16_t c = static_cast<uint16_t>(~fold(sum16(p, off, kIp)));
  p[off + 10] = static_cast<uint8_t>(c >> 8);
  p[off + 11] = static_cast<uint8_t>(c);
}

RunResult run(const Session& s, const char* prog, const std::vector<Packet>& in) {
  RunOptions ro;
  ro.keep_output = true;  // one run each: the buffer is reused across repeats
  return test_run(s.program_fd(prog), in, ro);
}

std::vector<Packet> concat(std::initializer_list<const char*> specs) {
  std::vector<Packet> all;
  for (const char* spec : specs) {
    auto more = generate_packets(spec);
    all.insert(all.end(), more.begin(), more.end());
  }
  return all;
}

}  // namespace

TEST(Cms, CountsEveryFlowInEveryRowAndDrops) {
  INXPECT_REQUIRE_EXAMPLES();
  Session s(example_object("cms.o"), {});
  // One UDP flow 7 times, one TCP flow 3 times, 100 random flows, IPv6.
  auto in = concat({"udp4,count=7,src=10.0.0.1,dst=192.168.1.1,sport=4000,dport=53",
                    "tcp4,count=3,src=10.0.0.2,dst=192.168.1.2,sport=5000,dport=80,size=200",
                    "udp4,count=100,seed=3", "udp6,count=5"});
  RunResult r = run(s, "xdp_cms", in);
  ASSERT_EQ(r.results.size(), in.size());
  for (size_t i = 0; i < in.size(); i++) {
    EXPECT_EQ(r.results[i].action, i < 110 ? kDrop : kPass) << "packet " << i;
    EXPECT_EQ(r.results[i].out, in[i]) << "packet " << i;
  }

  std::vector<cms_row> rows(CMS_ROWS);
  int fd = s.map_fd("cms");
  ASSERT_GE(fd, 0);
  for (uint32_t row = 0; row < CMS_ROWS; row++)
    ASSERT_EQ(bpf_map_lookup_elem(fd, &row, &rows[row]), 0);
  // Packets per flow, each flow's count in every row at least that.
  auto flow_of = [](const Packet& p) {
    return std::vector<uint32_t>{raw32(p, kEth + 12), raw32(p, kEth + 16), raw32(p, kEth + kIp),
                                 p[kEth + 9]};
  };
  std::map<std::vector<uint32_t>, uint32_t> truth;
  for (size_t i = 0; i < 110; i++) truth[flow_of(in[i])]++;
  EXPECT_EQ(truth[flow_of(in[0])], 7u);
  EXPECT_EQ(truth[flow_of(in[7])], 3u);
  for (const auto& [flow, n] : truth)
    for (uint32_t row = 0; row < CMS_ROWS; row++) {
      uint32_t col = cms_column(flow[0], flow[1], flow[2], static_cast<uint8_t>(flow[3]), row);
      EXPECT_GE(rows[row].count[col], n) << "row " << row;
    }
  // Every IPv4 packet counted once per row, nothing else.
  for (uint32_t row = 0; row < CMS_ROWS; row++) {
    uint64_t total = 0;
    for (uint32_t c : rows[row].count) total += c;
    EXPECT_EQ(total, 110u) << "row " << row;
  }
}

TEST(Nat, RewritesSourcesWithValidChecksums) {
  INXPECT_REQUIRE_EXAMPLES();
  Session s(example_object("nat.o"), {});
  auto in = concat({"udp4,count=50,size=100", "tcp4,count=50,size=150",
                    "udp4,count=5,src=172.16.0.0/12", "tcp6,count=5"});
  // A UDP datagram sent without a checksum keeps none.
  in.push_back(in[0]);
  in.back()[kEth + kIp + 6] = in.back()[kEth + kIp + 7] = 0;
  RunResult r = run(s, "xdp_nat", in);
  ASSERT_EQ(r.results.size(), in.size());
  std::set<uint16_t> udp_ports, tcp_ports;
  for (size_t i = 0; i < in.size(); i++) {
    const Packet &a = in[i], &b = r.results[i].out;
    if (i >= 100 && i < 110) {
      EXPECT_EQ(r.results[i].action, kPass) << "outside source or IPv6, packet " << i;
      EXPECT_EQ(b, a);
      continue;
    }
    ASSERT_EQ(r.results[i].action, kTx) << "packet " << i;
    ASSERT_EQ(b.size(), a.size());
    EXPECT_TRUE(std::equal(a.begin(), a.begin() + 6, b.begin() + 6)) << "MACs swapped";
    EXPECT_TRUE(std::equal(a.begin() + 6, a.begin() + 12, b.begin()));
    EXPECT_EQ(be32(b, kEth + 12), uint32_t(NAT_DEFAULT_EXTERNAL));
    EXPECT_EQ(be32(b, kEth + 16), be32(a, kEth + 16)) << "destination untouched";
    uint16_t sport = be16(b, kEth + kIp);
    EXPECT_GE(sport, NAT_DEFAULT_PORT_LO);
    EXPECT_TRUE(ip_checksum_ok(b, kEth)) << "packet " << i;
    if (i == 110) {
      EXPECT_EQ(be16(b, kEth + kIp + 6), 0) << "no UDP checksum stays none";
      EXPECT_EQ(sport, be16(r.results[0].out, kEth + kIp)) << "the same flow, the same port";
      continue;
    }
    EXPECT_TRUE(l4_checksum_ok(b, kEth)) << "packet " << i;
    // Nothing else changed: put back what NAT rewrites and compare.
    Packet c = b;
    size_t l4_check = kEth + kIp + (a[kEth + 9] == 6 ? 16 : 6);
    const std::pair<size_t, size_t> rewritten[] = {
        {0, 12}, {kEth + 10, 2}, {kEth + 12, 4}, {kEth + kIp, 2}, {l4_check, 2}};
    for (auto [off, len] : rewritten) std::copy_n(a.begin() + off, len, c.begin() + off);
    EXPECT_EQ(c, a) << "packet " << i;
    (i < 50 ? udp_ports : tcp_ports).insert(sport);
  }
  EXPECT_EQ(udp_ports.size(), 50u) << "one port per connection";
  EXPECT_EQ(tcp_ports.size(), 50u);

  // Later packets of each connection keep its binding, which the table holds.
  RunResult again = run(s, "xdp_nat", in);
  int fd = s.map_fd("nat_flows");
  ASSERT_GE(fd, 0);
  for (size_t i = 0; i < 100; i++) {
    EXPECT_EQ(again.results[i].out, r.results[i].out) << "packet " << i;
    const Packet& a = in[i];
    nat_flow key{};
    std::memcpy(&key.saddr, &a[kEth + 12], 8);
    std::memcpy(&key.sport, &a[kEth + kIp], 4);
    key.proto = a[kEth + 9];
    nat_binding b{};
    ASSERT_EQ(bpf_map_lookup_elem(fd, &key, &b), 0) << "packet " << i;
    EXPECT_EQ(ntohs(b.port), be16(r.results[i].out, kEth + kIp));
  }
}

TEST(Tunnel, EncapsulatesInIpv4WithCorrectOuterHeader) {
  INXPECT_REQUIRE_EXAMPLES();
  LoadOptions o;
  o.map_fills = {{"tunnels", example_object("tunnels.txt")}};
  Session s(example_object("tunnel.o"), o);
  // Tunnelled (192.168.0.0/20 .. 192.168.224.0/20), untunnelled, IPv6.
  auto in = concat({"udp4,count=30,dst=192.168.0.0/17,size=100",
                    "tcp4,count=20,dst=192.168.128.0/18,size=64",
                    "udp4,count=5,dst=192.168.240.0/20", "udp6,count=5"});
  in[0][kEth + 1] = 0x10;  // TOS
  in[0][kEth + 6] = 0x40;  // don't fragment
  set_ip_checksum(in[0], kEth);
  RunResult r = run(s, "xdp_tunnel", in);
  ASSERT_EQ(r.results.size(), in.size());
  int fd = s.map_fd("tunnels");
  ASSERT_GE(fd, 0);
  for (size_t i = 0; i < in.size(); i++) {
    const Packet &a = in[i], &b = r.results[i].out;
    if (i >= 50) {
      EXPECT_EQ(r.results[i].action, kPass) << "packet " << i;
      EXPECT_EQ(b, a);
      continue;
    }
    ASSERT_EQ(r.results[i].action, kTx) << "packet " << i;
    ASSERT_EQ(b.size(), a.size() + kIp);
    EXPECT_TRUE(std::equal(a.begin() + kEth, a.end(), b.begin() + kEth + kIp))
        << "inner packet intact";
    tunnel_key key{32, raw32(a, kEth + 16)};
    tunnel_endpoint ep{};
    ASSERT_EQ(bpf_map_lookup_elem(fd, &key, &ep), 0);
    EXPECT_TRUE(std::equal(ep.dmac, ep.dmac + 6, b.begin()));
    EXPECT_TRUE(std::equal(ep.smac, ep.smac + 6, b.begin() + 6));
    EXPECT_EQ(be16(b, 12), 0x0800);
    EXPECT_EQ(b[kEth], 0x45);
    EXPECT_EQ(b[kEth + 1], a[kEth + 1]) << "TOS copied";
    EXPECT_EQ(be16(b, kEth + 2), be16(a, kEth + 2) + kIp);
    EXPECT_EQ(be16(b, kEth + 6), be16(a, kEth + 6) & 0x4000) << "only DF copied";
    EXPECT_EQ(b[kEth + 8], 64);
    EXPECT_EQ(b[kEth + 9], 4) << "IP-in-IP";
    EXPECT_EQ(raw32(b, kEth + 12), ep.saddr);
    EXPECT_EQ(raw32(b, kEth + 16), ep.daddr);
    EXPECT_EQ(be32(b, kEth + 12), 0xc0000201u) << "192.0.2.1, what tunnels.py gives";
    EXPECT_TRUE(ip_checksum_ok(b, kEth)) << "packet " << i;
  }
  EXPECT_EQ(r.results[0].out[kEth + 1], 0x10);
  EXPECT_EQ(r.results[0].out[kEth + 6], 0x40);
}
