#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "libinxpect/error.h"
#include "libinxpect/fd.h"
#include "libinxpect/packets.h"

using namespace inxpect;

namespace {

// Ones'-complement sum over the bytes, folded: 0xffff for a valid checksum.
uint16_t csum(const uint8_t* p, size_t n, uint32_t acc = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) acc += (p[i] << 8) | p[i + 1];
  if (n & 1) acc += p[n - 1] << 8;
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
  return static_cast<uint16_t>(acc);
}

uint32_t pseudo(const uint8_t* src, const uint8_t* dst, size_t alen, uint8_t proto, size_t len) {
  return csum(src, alen) + csum(dst, alen) + proto + static_cast<uint32_t>(len);
}

}  // namespace

TEST(PacketGen, Ipv4UdpHeadersAndChecksums) {
  auto pkts =
      generate_packets("udp4,count=50,size=128,src=10.1.2.0/24,dst=192.168.7.9,dport=53,ttl=33");
  ASSERT_EQ(pkts.size(), 50u);
  for (const Packet& p : pkts) {
    ASSERT_EQ(p.size(), 128u);
    const auto* eth = reinterpret_cast<const ethhdr*>(p.data());
    EXPECT_EQ(ntohs(eth->h_proto), ETH_P_IP);
    const auto* ip = reinterpret_cast<const iphdr*>(p.data() + ETH_HLEN);
    EXPECT_EQ(ip->ttl, 33);
    EXPECT_EQ(ntohl(ip->daddr), 0xc0a80709u);
    EXPECT_EQ(ntohl(ip->saddr) >> 8, 0x0a0102u);
    EXPECT_EQ(csum(reinterpret_cast<const uint8_t*>(ip), sizeof(iphdr)), 0xffff);
    const uint8_t* l4 = p.data() + ETH_HLEN + sizeof(iphdr);
    size_t l4len = p.size() - ETH_HLEN - sizeof(iphdr);
    EXPECT_EQ(ntohs(reinterpret_cast<const udphdr*>(l4)->dest), 53);
    uint32_t ph = pseudo(reinterpret_cast<const uint8_t*>(&ip->saddr),
                         reinterpret_cast<const uint8_t*>(&ip->daddr), 4, IPPROTO_UDP, l4len);
    EXPECT_EQ(csum(l4, l4len, ph), 0xffff);
  }
}

TEST(PacketGen, Ipv6TcpChecksums) {
  auto pkts = generate_packets("tcp6,count=5,size=200,src=fd00::/120,dst=fd00:1::1");
  for (const Packet& p : pkts) {
    const auto* ip6 = reinterpret_cast<const ipv6hdr*>(p.data() + ETH_HLEN);
    EXPECT_EQ(ip6->nexthdr, IPPROTO_TCP);
    EXPECT_EQ(ntohs(ip6->payload_len), 200 - ETH_HLEN - sizeof(ipv6hdr));
    const uint8_t* l4 = p.data() + ETH_HLEN + sizeof(ipv6hdr);
    size_t l4len = p.size() - ETH_HLEN - sizeof(ipv6hdr);
    EXPECT_EQ(
        csum(l4, l4len, pseudo(ip6->saddr.s6_addr, ip6->daddr.s6_addr, 16, IPPROTO_TCP, l4len)),
        0xffff);
  }
}

TEST(PacketGen, DeterministicAndMixed) {
  auto a = generate_packets("udp4,count=20;tcp6,count=10,size=100");
  auto b = generate_packets("udp4,count=20;tcp6,count=10,size=100");
  ASSERT_EQ(a.size(), 30u);
  EXPECT_EQ(a, b);
  EXPECT_NE(generate_packets("udp4,count=20,seed=2"), generate_packets("udp4,count=20,seed=3"));
}

TEST(PacketGen, PortRangesAreRespected) {
  for (const Packet& p : generate_packets("udp4,count=200,sport=1000-1003")) {
    uint16_t sport =
        ntohs(reinterpret_cast<const udphdr*>(p.data() + ETH_HLEN + sizeof(iphdr))->source);
    EXPECT_GE(sport, 1000);
    EXPECT_LE(sport, 1003);
  }
}

TEST(PacketGen, BadSpecs) {
  EXPECT_THROW(generate_packets("icmp4"), Error);
  EXPECT_THROW(generate_packets("udp4,count=0"), Error);
  EXPECT_THROW(generate_packets("udp4,size=20"), Error);  // below the headers
  EXPECT_THROW(generate_packets("udp4,dst=300.1.1.1"), Error);
  EXPECT_THROW(generate_packets("udp6,dst=10.0.0.1"), Error);
  EXPECT_THROW(generate_packets("udp4,sport=9-1"), Error);
  EXPECT_THROW(generate_packets("udp4,colour=red"), Error);
  EXPECT_THROW(generate_packets("udp4,count"), Error);
  EXPECT_THROW(generate_packets(";"), Error);
}

TEST(Pcap, RoundTrip) {
  char path[] = "/tmp/inxpect-pcap-XXXXXX";
  ASSERT_TRUE(Fd(mkstemp(path)));
  auto pkts = generate_packets("udp4,count=3,size=90;tcp4,count=2,size=60");
  write_pcap(path, pkts);
  EXPECT_EQ(read_pcap(path), pkts);
  unlink(path);
}

TEST(Pcap, RejectsOtherFiles) {
  char path[] = "/tmp/inxpect-pcap-XXXXXX";
  {
    Fd fd(mkstemp(path));
    ASSERT_TRUE(fd);
    const char text[] = "this is not a capture file at all";
    ASSERT_EQ(write(fd.get(), text, sizeof(text)), static_cast<ssize_t>(sizeof(text)));
  }
  EXPECT_THROW(read_pcap(path), Error);
  unlink(path);
  EXPECT_THROW(read_pcap("/nonexistent/x.pcap"), Error);
}

TEST(PacketGen, MadeAsAskedForSoCountDoesNotCostMemory) {
  // 10^8 packets of 64 bytes would take about 10 GB if they were held.
  auto begin = std::chrono::steady_clock::now();
  auto gen = packet_generator("udp4,count=100000000;tcp6,count=2");
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(1));
  std::vector<Packet> first = generate_packets("udp4,count=3");
  Packet p;
  for (const Packet& want : first) {
    ASSERT_TRUE(gen->next(p));
    EXPECT_EQ(p, want);
  }
  // Joined specs follow one another, each from its own seed.
  auto joined = packet_generator("udp4,count=2;tcp6,count=2,seed=5");
  std::vector<Packet> got;
  while (joined->next(p)) got.push_back(p);
  std::vector<Packet> want = generate_packets("udp4,count=2");
  for (const Packet& q : generate_packets("tcp6,count=2,seed=5")) want.push_back(q);
  EXPECT_EQ(got, want);
  EXPECT_FALSE(joined->next(p));
  // A bad spec is refused before any packet.
  EXPECT_THROW(packet_generator("udp4,count=5;icmp4"), Error);
}

namespace {

std::string pcap_bytes(const std::vector<Packet>& pkts) {
  char path[] = "/tmp/inxpect-pcap-XXXXXX";
  Fd fd(mkstemp(path));
  write_pcap(path, pkts);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  unlink(path);
  return ss.str();
}

}  // namespace

TEST(Pcap, ReadARecordAtATimeAndCorruptionSaysWhichRecord) {
  auto pkts = generate_packets("udp4,count=3,size=90");
  std::string bytes = pcap_bytes(pkts);
  // Cut in the middle of the third record: two packets, then the error.
  auto in = pcap_reader(std::make_unique<std::istringstream>(bytes.substr(0, bytes.size() - 10)),
                        "cut.pcap");
  Packet p;
  ASSERT_TRUE(in->next(p));
  EXPECT_EQ(p, pkts[0]);
  try {
    in->next(p);
    in->next(p);
    FAIL() << "a truncated record was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cut.pcap: record 3 is truncated"), std::string::npos)
        << e.what();
  }
  // A record header that claims more than any frame.
  std::string huge =
      bytes.substr(0, 24) + std::string("\0\0\0\0\0\0\0\0\xff\xff\xff\x7f\0\0\0\0", 16);
  EXPECT_THROW(pcap_reader(std::make_unique<std::istringstream>(huge), "huge.pcap"), Error);
  // A header and no record: refused at once.
  EXPECT_THROW(pcap_reader(std::make_unique<std::istringstream>(bytes.substr(0, 24)), "empty"),
               Error);
  // Half a record header.
  EXPECT_THROW(pcap_reader(std::make_unique<std::istringstream>(bytes.substr(0, 30)), "half"),
               Error);
}

TEST(Pcap, WriterReportsAFullDisk) {
  EXPECT_THROW(
      {
        PcapWriter w("/dev/full");
        for (const Packet& p : generate_packets("udp4,count=200,size=1000")) w.write(p);
        w.close();
      },
      Error);
}
