#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <sstream>

#include "libinxpect/error.h"
#include "libinxpect/packets.h"

namespace inxpect {
namespace {

// An address range: `bits` significant bits of `base`, the rest drawn.
struct AddrRange {
  bool v6 = false;
  uint8_t base[16] = {};
  unsigned prefix = 0;
};

struct PortRange {
  uint16_t lo = 0, hi = 0;
};

struct Spec {
  bool v6 = false, tcp = false;
  unsigned count = 1000, size = 0, ttl = 64;  // size 0: 64, or the headers if larger
  uint64_t seed = 1;
  AddrRange src, dst;
  PortRange sport{1024, 65535}, dport{53, 53};
};

unsigned to_uint(const std::string& v, const std::string& key, unsigned lo, unsigned hi) {
  char* end = nullptr;
  unsigned long n = std::strtoul(v.c_str(), &end, 10);
  if (v.empty() || *end || n < lo || n > hi)
    throw Error("traffic spec: " + key + "=" + v + " is not a number in " + std::to_string(lo) +
                    ".." + std::to_string(hi),
                Errc::Usage);
  return static_cast<unsigned>(n);
}

AddrRange to_range(const std::string& v, bool v6, const std::string& key) {
  AddrRange r;
  r.v6 = v6;
  std::string addr = v;
  unsigned max = v6 ? 128 : 32;
  r.prefix = max;
  size_t slash = v.find('/');
  if (slash != std::string::npos) {
    addr = v.substr(0, slash);
    r.prefix = to_uint(v.substr(slash + 1), key + " prefix", 0, max);
  }
  if (inet_pton(v6 ? AF_INET6 : AF_INET, addr.c_str(), r.base) != 1)
    throw Error("traffic spec: " + key + "=" + v + " is not an IPv" + (v6 ? "6" : "4") +
                    " address or range",
                Errc::Usage);
  return r;
}

PortRange to_ports(const std::string& v, const std::string& key) {
  size_t dash = v.find('-');
  if (dash == std::string::npos) {
    uint16_t p = static_cast<uint16_t>(to_uint(v, key, 0, 65535));
    return {p, p};
  }
  PortRange r{static_cast<uint16_t>(to_uint(v.substr(0, dash), key, 0, 65535)),
              static_cast<uint16_t>(to_uint(v.substr(dash + 1), key, 0, 65535))};
  if (r.lo > r.hi)
    throw Error("traffic spec: " + key + "=" + v + " is an empty range", Errc::Usage);
  return r;
}

Spec parse_one(const std::string& text) {
  Spec s;
  std::stringstream ss(text);
  std::string proto;
  std::getline(ss, proto, ',');
  if (proto == "udp4" || proto == "tcp4" || proto == "udp6" || proto == "tcp6") {
    s.v6 = proto[3] == '6';
    s.tcp = proto[0] == 't';
  } else {
    throw Error("traffic spec: unknown protocol '" + proto + "' (udp4, tcp4, udp6, tcp6)",
                Errc::Usage);
  }
  s.src = to_range(s.v6 ? "fd00::/64" : "10.0.0.0/24", s.v6, "src");
  s.dst = to_range(s.v6 ? "fd00:1::/64" : "192.168.0.0/16", s.v6, "dst");
  for (std::string kv; std::getline(ss, kv, ',');) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos)
      throw Error("traffic spec: '" + kv + "' is not key=value", Errc::Usage);
    std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
    if (k == "count")
      s.count = to_uint(v, k, 1, 100000000);
    else if (k == "size")
      s.size = to_uint(v, k, 0, 9000);
    else if (k == "ttl")
      s.ttl = to_uint(v, k, 1, 255);
    else if (k == "seed")
      s.seed = to_uint(v, k, 0, ~0u);
    else if (k == "src")
      s.src = to_range(v, s.v6, k);
    else if (k == "dst")
      s.dst = to_range(v, s.v6, k);
    else if (k == "sport")
      s.sport = to_ports(v, k);
    else if (k == "dport")
      s.dport = to_ports(v, k);
    else
      throw Error("traffic spec: unknown key '" + k + "'", Errc::Usage);
  }
  unsigned headers = ETH_HLEN + (s.v6 ? sizeof(ipv6hdr) : sizeof(iphdr)) +
                     (s.tcp ? sizeof(tcphdr) : sizeof(udphdr));
  if (s.size == 0) s.size = std::max(64u, headers);
  if (s.size < headers)
    throw Error("traffic spec: size=" + std::to_string(s.size) + " is below the " +
                    std::to_string(headers) + " bytes of headers",
                Errc::Usage);
  return s;
}

void draw(const AddrRange& r, std::mt19937_64& rng, uint8_t* out) {
  unsigned len = r.v6 ? 16 : 4;
  for (unsigned i = 0; i < len; i++) {
    unsigned fixed = r.prefix > i * 8 ? std::min(8u, r.prefix - i * 8) : 0;
    uint8_t mask = static_cast<uint8_t>(fixed ? 0xff << (8 - fixed) : 0);
    out[i] = static_cast<uint8_t>((r.base[i] & mask) | (rng() & ~mask));
  }
}

uint16_t draw(const PortRange& r, std::mt19937_64& rng) {
  return static_cast<uint16_t>(r.lo + rng() % (static_cast<unsigned>(r.hi - r.lo) + 1));
}

uint32_t sum16(const uint8_t* p, size_t n, uint32_t acc = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) acc += (p[i] << 8) | p[i + 1];
  if (n & 1) acc += p[n - 1] << 8;
  return acc;
}

uint16_t fold(uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
  return htons(static_cast<uint16_t>(~acc));
}

Packet build(const Spec& s, std::mt19937_64& rng) {
  Packet p(s.size, 0);
  auto* eth = reinterpret_cast<ethhdr*>(p.data());
  const uint8_t dmac[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0x01},
                smac[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0x02};
  std::memcpy(eth->h_dest, dmac, ETH_ALEN);
  std::memcpy(eth->h_source, smac, ETH_ALEN);
  eth->h_proto = htons(s.v6 ? ETH_P_IPV6 : ETH_P_IP);
  uint8_t* l3 = p.data() + ETH_HLEN;
  size_t l3_len = s.size - ETH_HLEN;
  uint8_t proto = s.tcp ? IPPROTO_TCP : IPPROTO_UDP;
  uint8_t *saddr, *daddr;
  size_t addr_len, l4_off;
  if (s.v6) {
    auto* ip6 = reinterpret_cast<ipv6hdr*>(l3);
    ip6->version = 6;
    ip6->payload_len = htons(static_cast<uint16_t>(l3_len - sizeof(ipv6hdr)));
    ip6->nexthdr = proto;
    ip6->hop_limit = static_cast<uint8_t>(s.ttl);
    saddr = ip6->saddr.s6_addr;
    daddr = ip6->daddr.s6_addr;
    addr_len = 16;
    l4_off = sizeof(ipv6hdr);
  } else {
    auto* ip = reinterpret_cast<iphdr*>(l3);
    ip->version = 4;
    ip->ihl = 5;
    ip->tot_len = htons(static_cast<uint16_t>(l3_len));
    ip->ttl = static_cast<uint8_t>(s.ttl);
    ip->protocol = proto;
    saddr = reinterpret_cast<uint8_t*>(&ip->saddr);
    daddr = reinterpret_cast<uint8_t*>(&ip->daddr);
    addr_len = 4;
    l4_off = sizeof(iphdr);
  }
  draw(s.src, rng, saddr);
  draw(s.dst, rng, daddr);
  if (!s.v6) {
    auto* ip = reinterpret_cast<iphdr*>(l3);
    ip->check = fold(sum16(l3, sizeof(iphdr)));
  }
  uint8_t* l4 = l3 + l4_off;
  size_t l4_len = l3_len - l4_off;
  uint16_t sport = htons(draw(s.sport, rng)), dport = htons(draw(s.dport, rng));
  uint16_t* check;
  if (s.tcp) {
    auto* th = reinterpret_cast<tcphdr*>(l4);
    th->source = sport;
    th->dest = dport;
    th->doff = 5;
    th->syn = 1;
    th->window = htons(65535);
    check = &th->check;
  } else {
    auto* uh = reinterpret_cast<udphdr*>(l4);
    uh->source = sport;
    uh->dest = dport;
    uh->len = htons(static_cast<uint16_t>(l4_len));
    check = &uh->check;
  }
  for (size_t i = s.tcp ? sizeof(tcphdr) : sizeof(udphdr); i < l4_len; i++)
    l4[i] = static_cast<uint8_t>(i);
  // Pseudo-header, then the segment.
  uint32_t acc =
      sum16(saddr, addr_len) + sum16(daddr, addr_len) + proto + static_cast<uint32_t>(l4_len);
  *check = fold(sum16(l4, l4_len, acc));
  if (!s.tcp && *check == 0) *check = 0xffff;
  return p;
}

// The specs of a ';'-joined list, one after the other.
class Generator : public PacketSource {
 public:
  explicit Generator(const std::string& spec) {
    std::stringstream ss(spec);
    for (std::string one; std::getline(ss, one, ';');)
      if (!one.empty()) specs_.push_back(parse_one(one));
    if (specs_.empty()) throw Error("traffic spec '" + spec + "' gives no packets", Errc::Usage);
    rng_.seed(specs_[0].seed);
  }

  bool next(Packet& out) override {
    while (at_ < specs_.size() && made_ == specs_[at_].count) {
      if (++at_ < specs_.size()) rng_.seed(specs_[at_].seed);
      made_ = 0;
    }
    if (at_ == specs_.size()) return false;
    out = build(specs_[at_], rng_);
    made_++;
    return true;
  }

 private:
  std::vector<Spec> specs_;
  size_t at_ = 0;
  unsigned made_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<PacketSource> packet_generator(const std::string& spec) {
  return std::make_unique<Generator>(spec);
}

std::vector<Packet> generate_packets(const std::string& spec) {
  std::vector<Packet> out;
  auto gen = packet_generator(spec);
  for (Packet p; gen->next(p);) out.push_back(std::move(p));
  return out;
}

}  // namespace inxpect
