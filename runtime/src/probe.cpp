#include "inxpect/probe.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include "inxpect/events.h"
#include "libbpf_log.h"
#include "perf_counters.h"

namespace inxpect {

bool can_test_run_xdp() {
  LibbpfLog quiet;
  const bpf_insn insns[] = {{BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, XDP_PASS},
                            {BPF_JMP | BPF_EXIT, 0, 0, 0, 0}};
  int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "inxpect_probe", "GPL", insns, 2, nullptr);
  if (fd < 0) return false;
  uint8_t pkt[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt));
  bool ok = bpf_prog_test_run_opts(fd, &t) == 0 && t.retval == XDP_PASS;
  close(fd);
  return ok;
}

bool xdp_can_read_perf_events() {
  LibbpfLog quiet;
  return libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, BPF_FUNC_perf_event_read_value, nullptr) == 1;
}

bool has_hardware_pmu() {
  Event ev = resolve_events("instructions", Backend::Perf, false)[0];
  int fd = open_perf_event(ev, 0);
  if (fd >= 0) close(fd);
  return fd >= 0;
}

}  // namespace inxpect
