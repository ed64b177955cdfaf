#include "apps.h"

#include <algorithm>
#include <fstream>
#include <string>

#include "libinxpect/error.h"

namespace inxpect::bench {

const char* const kExamples[5] = {"drop", "router", "cms", "nat", "tunnel"};

namespace {

std::string count(unsigned n) { return std::to_string(std::max(1u, n)); }

// Each app gets traffic that goes down its real path.
std::string traffic(const std::string& app, unsigned n) {
  if (app == "router")
    return "udp4,ttl=255,dst=192.168.0.0/16,count=" + count(n / 2) +
           ";udp4,ttl=255,dst=0.0.0.0/0,count=" + count(n / 2);
  if (app == "cms") return "udp4,count=" + count(n / 2) + ";tcp4,count=" + count(n / 2);
  if (app == "nat")
    return "udp4,src=10.0.0.0/16,count=" + count(n / 2) +
           ";tcp4,src=10.0.0.0/16,count=" + count(n / 2);
  return "udp4,count=" + count(n);
}

// `block` repeated in order until there are n packets.
std::vector<Packet> cycle(const std::vector<Packet>& block, unsigned n) {
  std::vector<Packet> out;
  for (unsigned i = 0; i < n; i++) out.push_back(block[i % block.size()]);
  return out;
}

}  // namespace

App example_app(const std::string& name, const std::string& examples, const std::string& objs,
                unsigned packets) {
  bool periodic = name == "router-periodic";
  std::string base = periodic ? "router" : name;
  if (std::find(std::begin(kExamples), std::end(kExamples), base) == std::end(kExamples))
    throw Error("unknown app '" + name + "'", Errc::Usage);
  App a;
  a.name = name;
  a.kind = periodic ? App::Kind::Periodic : App::Kind::Example;
  a.instr = examples + "/" + base + ".o";
  a.bare = examples + "/" + base + ".bare.o";
  a.program = "xdp_" + base;
  a.ktime_ref = objs + "/ktime-ref-" + base + ".bpf.o";
  if (base == "router") a.fills = {{"routes", examples + "/routes.txt"}};
  if (base == "tunnel") a.fills = {{"tunnels", examples + "/tunnels.txt"}};
  a.repeat_ok = base != "nat" && base != "tunnel";
  // The period is 64 packets, the sampling rate it is tested at.
  a.packets = periodic ? cycle(generate_packets(traffic("router", 64)),
                               std::max(2048u, (packets + 63) / 64 * 64))
                       : generate_packets(traffic(base, packets));
  return a;
}

App big_app(const std::string& dir, unsigned packets) {
  App a;
  a.name = "balancer";
  a.kind = App::Kind::Big;
  a.instr = dir + "/big.o";
  a.bare = dir + "/big.bare.o";
  a.repeat_ok = false;
  std::ifstream prog(dir + "/big.prog");
  std::getline(prog, a.program);
  std::ifstream maps(dir + "/big.maps");
  if (!maps) throw Error("no " + dir + "/big.maps (bench/bigprog.py writes it)");
  for (std::string map, file; maps >> map >> file;) a.fills.push_back({map, dir + "/" + file});
  a.packets = cycle(read_pcap(dir + "/big.pcap"), packets);
  return a;
}

}  // namespace inxpect::bench
