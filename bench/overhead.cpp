// inxpect-bench: what profiling costs an example per packet on this host.
//
// Every configuration (the bare build, InXpect on every packet, InXpect
// sampled 1/N) is loaded once; then each round runs all of them over the same
// packets with BPF_PROG_TEST_RUN, in an order rotated every round, so drift
// in the machine hits them alike.  Reported: the median ns per run of each,
// and its ratio to the bare build.
#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "inxpect/error.h"
#include "inxpect/session.h"
#include "inxpect/test_run.h"

using namespace inxpect;

namespace {

struct App {
  const char* name;
  const char* prog;
  const char* traffic;
  bool routes;  // fill the router's table
};

// The traffic keeps TTLs high: XDP test runs reuse the packet across
// repeats, and the router decrements the TTL each time.
const App kApps[] = {
    {"drop", "xdp_drop", "udp4,count=256", false},
    {"router", "xdp_router", "udp4,count=256,ttl=255,dst=192.168.0.0/16;udp4,count=256,ttl=255,dst=0.0.0.0/0",
     true},
};

struct Config {
  std::string label;
  std::unique_ptr<Session> session;
  int fd = -1;
  std::vector<double> ns;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void usage() {
  std::cout << "usage: inxpect-bench [--app drop|router] [--rounds R] [--repeat N] [--sample N]...\n"
               "Median ns per run of the bare build, InXpect on every packet and InXpect sampled,\n"
               "from interleaved BPF_PROG_TEST_RUN rounds (defaults: router, 21 rounds, repeat 200, sample 64).\n";
}

int run(int argc, char** argv) {
  std::string app_name = "router";
  unsigned rounds = 21, repeat = 200;
  std::vector<uint32_t> samples;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw Error(a + " needs an argument");
      return argv[++i];
    };
    if (a == "--app") app_name = next();
    else if (a == "--rounds") rounds = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--repeat") repeat = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--sample") samples.push_back(static_cast<uint32_t>(std::stoul(next())));
    else if (a == "--help") return usage(), 0;
    else throw Error("unknown option '" + a + "'");
  }
  if (samples.empty()) samples = {64};
  if (!rounds || !repeat) throw Error("--rounds and --repeat must be positive");
  const App* app = nullptr;
  for (const App& a : kApps)
    if (app_name == a.name) app = &a;
  if (!app) throw Error("unknown app '" + app_name + "' (drop, router)");

  cpu_set_t cpu0;
  CPU_ZERO(&cpu0);
  CPU_SET(0, &cpu0);
  sched_setaffinity(0, sizeof(cpu0), &cpu0);

  std::string dir = INXPECT_EXAMPLES_DIR;
  LoadOptions base;
  if (app->routes) base.map_fills = {{"routes", dir + "/routes.txt"}};
  std::vector<Config> configs;
  auto add = [&](const std::string& label, const std::string& obj, uint32_t rate) {
    LoadOptions o = base;
    o.sample_rate = rate;
    Config c;
    c.label = label;
    c.session = std::make_unique<Session>(obj, o);
    c.fd = c.session->program_fd(app->prog);
    configs.push_back(std::move(c));
  };
  add("bare", dir + "/" + app->name + ".bare.o", 1);
  add("inxpect ktime, every packet", dir + "/" + app->name + ".o", 1);
  for (uint32_t n : samples) add("inxpect ktime, sampled 1/" + std::to_string(n), dir + "/" + app->name + ".o", n);

  std::vector<Packet> packets = generate_packets(app->traffic);
  RunOptions ro;
  ro.repeat = repeat;
  for (unsigned r = 0; r < rounds; r++)
    for (size_t k = 0; k < configs.size(); k++) {
      Config& c = configs[(k + r) % configs.size()];
      c.ns.push_back(test_run(c.fd, packets, ro).ns_per_run);
    }

  double bare = median(configs[0].ns);
  std::printf("app %s: %zu packets x %u repeats, %u interleaved rounds, CPU 0\n\n", app->name, packets.size(), repeat,
              rounds);
  std::printf("| configuration | median ns/run | ratio to bare | added ns/run |\n|---|---:|---:|---:|\n");
  for (const Config& c : configs) {
    double m = median(c.ns);
    std::printf("| %s | %.1f | %.3f | %+.1f |\n", c.label.c_str(), m, m / bare, m - bare);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "inxpect-bench: " << e.what() << "\n";
    return 1;
  }
}
