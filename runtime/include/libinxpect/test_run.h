// Offline profiling: running an XDP program over packets with
// BPF_PROG_TEST_RUN.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "libinxpect/packets.h"

namespace inxpect {

struct RunOptions {
  // Runs of each packet inside the kernel.  XDP test runs reuse one buffer,
  // so a program that rewrites the packet sees its own output on repeats.
  uint32_t repeat = 1;
  bool keep_output = false;  // keep each packet's action and output bytes
};

struct PacketResult {
  uint32_t action = 0;
  Packet out;
};

struct RunResult {
  uint64_t packets = 0;
  uint64_t runs = 0;                     // packets x repeat
  std::map<uint32_t, uint64_t> actions;  // action -> packets
  double ns_per_run = 0;                 // the kernel's own timing, whole program
  std::vector<PacketResult> results;     // when keep_output (vector form only)
};

// Runs the program over `packets`, one packet at a time: memory does not
// grow with their number.  With opts.keep_output, `on_output` gets each
// packet's action and output bytes as it comes (results stays empty).
// Throws Error when the kernel refuses a run, and Interrupted (signals.h)
// between packets, or from a long run, once a signal asked to stop.
RunResult test_run(int prog_fd, PacketSource& packets, const RunOptions& opts,
                   const std::function<void(const PacketResult&)>& on_output = nullptr);
// The same over packets in memory; with opts.keep_output, results holds
// every packet's action and output bytes.
RunResult test_run(int prog_fd, const std::vector<Packet>& packets, const RunOptions& opts);

// "XDP_TX", or "action N" for values outside enum xdp_action.
std::string xdp_action_name(uint32_t action);

}  // namespace inxpect
