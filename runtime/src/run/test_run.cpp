#include "libinxpect/test_run.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>

#include <cerrno>
#include <string>

#include "libinxpect/error.h"

namespace inxpect {

// Room for programs that grow the packet (bpf_xdp_adjust_head/tail).
constexpr size_t kOutputSlack = 512;

RunResult test_run(int prog_fd, const std::vector<Packet>& packets, const RunOptions& opts) {
  RunResult r;
  double total_ns = 0;
  Packet out;
  for (size_t i = 0; i < packets.size(); i++) {
    const Packet& p = packets[i];
    if (p.size() < ETH_HLEN)
      throw Error("packet " + std::to_string(i + 1) + " is " + std::to_string(p.size()) +
                      " bytes, shorter than an Ethernet header",
                  Errc::BadInput);
    out.assign(p.size() + kOutputSlack, 0);
    LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = p.data(), .data_out = out.data(),
                .data_size_in = static_cast<__u32>(p.size()),
                .data_size_out = static_cast<__u32>(out.size()),
                .repeat = static_cast<int>(opts.repeat ? opts.repeat : 1));
    if (bpf_prog_test_run_opts(prog_fd, &t))
      throw errno_error("BPF_PROG_TEST_RUN failed on packet " + std::to_string(i + 1), errno);
    r.packets++;
    r.runs += t.repeat;
    r.actions[t.retval]++;
    total_ns += static_cast<double>(t.duration) * t.repeat;
    if (opts.keep_output) {
      out.resize(t.data_size_out);
      r.results.push_back(PacketResult{t.retval, out});
    }
  }
  r.ns_per_run = r.runs ? total_ns / static_cast<double>(r.runs) : 0;
  return r;
}

std::string xdp_action_name(uint32_t action) {
  switch (action) {
    case XDP_ABORTED: return "XDP_ABORTED";
    case XDP_DROP: return "XDP_DROP";
    case XDP_PASS: return "XDP_PASS";
    case XDP_TX: return "XDP_TX";
    case XDP_REDIRECT: return "XDP_REDIRECT";
    default: break;
  }
  return "action " + std::to_string(action);
}

}  // namespace inxpect
