#include "libinxpect/test_run.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>

#include <cerrno>
#include <climits>
#include <string>

#include "libinxpect/error.h"
#include "libinxpect/signals.h"

namespace inxpect {
namespace {

// Room for programs that grow the packet (bpf_xdp_adjust_head/tail).
constexpr size_t kOutputSlack = 512;

class Runner {
 public:
  Runner(int prog_fd, const RunOptions& opts) : fd_(prog_fd), opts_(opts) {
    uint32_t repeat = opts.repeat ? opts.repeat : 1;
    // libbpf passes the count as an int.
    if (repeat > static_cast<uint32_t>(INT_MAX))
      throw Error("a test run repeats a packet at most " + std::to_string(INT_MAX) +
                      " times, not " + std::to_string(repeat),
                  Errc::Usage);
    repeat_ = static_cast<int>(repeat);
  }

  // Runs one packet; the output lands in out_ when kept.
  uint32_t run(const Packet& p) {
    throw_if_stopped();
    uint64_t n = r_.packets + 1;
    if (p.size() < ETH_HLEN)
      throw Error("packet " + std::to_string(n) + " is " + std::to_string(p.size()) +
                      " bytes, shorter than an Ethernet header",
                  Errc::BadInput);
    if (p.size() > UINT32_MAX - kOutputSlack)
      throw Error("packet " + std::to_string(n) + " is too large", Errc::BadInput);
    out_.out.assign(p.size() + kOutputSlack, 0);
    LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = p.data(), .data_out = out_.out.data(),
                .data_size_in = static_cast<__u32>(p.size()),
                .data_size_out = static_cast<__u32>(out_.out.size()), .repeat = repeat_);
    if (bpf_prog_test_run_opts(fd_, &t)) {
      int err = errno;
      // The kernel stops a long run when a signal is pending.
      if (err == EINTR) throw_if_stopped();
      throw errno_error("BPF_PROG_TEST_RUN failed on packet " + std::to_string(n), err);
    }
    r_.packets++;
    r_.runs += static_cast<uint64_t>(repeat_);
    r_.actions[t.retval]++;
    total_ns_ += static_cast<double>(t.duration) * repeat_;
    out_.action = t.retval;
    if (opts_.keep_output) out_.out.resize(std::min<size_t>(t.data_size_out, out_.out.size()));
    return t.retval;
  }

  const PacketResult& output() const { return out_; }

  RunResult finish() {
    r_.ns_per_run = r_.runs ? total_ns_ / static_cast<double>(r_.runs) : 0;
    return std::move(r_);
  }

 private:
  int fd_;
  RunOptions opts_;
  int repeat_ = 1;
  RunResult r_;
  double total_ns_ = 0;
  PacketResult out_;
};

}  // namespace

RunResult test_run(int prog_fd, PacketSource& packets, const RunOptions& opts,
                   const std::function<void(const PacketResult&)>& on_output) {
  Runner runner(prog_fd, opts);
  Packet p;
  while (packets.next(p)) {
    runner.run(p);
    if (opts.keep_output && on_output) on_output(runner.output());
  }
  return runner.finish();
}

RunResult test_run(int prog_fd, const std::vector<Packet>& packets, const RunOptions& opts) {
  Runner runner(prog_fd, opts);
  std::vector<PacketResult> results;
  for (const Packet& p : packets) {
    runner.run(p);
    if (opts.keep_output) results.push_back(runner.output());
  }
  RunResult r = runner.finish();
  r.results = std::move(results);
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
