// The programs inxpect-bench measures: the five examples, Router under
// strictly periodic traffic (the sampling aliasing test), and the
// production-size balancer that bench/bigprog.py prepares.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "libinxpect/packets.h"

namespace inxpect::bench {

struct App {
  enum class Kind { Example, Periodic, Big };
  std::string name;  // as the report names it
  Kind kind = Kind::Example;
  std::string instr, bare, program;  // the two builds; program "": the first XDP program
  std::string ktime_ref;             // the two-ktime reference build, "" none
  std::vector<std::pair<std::string, std::string>> fills;  // MAP, FILE
  std::vector<Packet> packets;
  // Test runs with repeat > 1 reuse the packet, so apps whose rewrite
  // changes the path taken next time (NAT translates the source out of the
  // inside network, Tunnel adds a header each time, the balancer
  // encapsulates) get their repeats as separate test runs.
  bool repeat_ok = true;
};

// The example `name` ("drop" ... "tunnel"), or "router-periodic": Router's
// objects under blocks of 32 routed then 32 default-route packets, a period
// of 64, so a sampler that measures every 64th packet would see one kind
// only.  `packets` packets (the periodic app at least 2048).  Throws
// Error for an unknown name.
App example_app(const std::string& name, const std::string& examples, const std::string& objs,
                unsigned packets);
extern const char* const kExamples[5];

// The balancer from DIR (bigprog.py's output: big.o, big.bare.o, big.prog,
// big.pcap, big.maps), its packets repeated in order up to `packets`.
App big_app(const std::string& dir, unsigned packets);

}  // namespace inxpect::bench
