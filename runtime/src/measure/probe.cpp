#include "libinxpect/probe.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include "libinxpect/events.h"
#include "libinxpect/fd.h"
#include "object/libbpf_log.h"
#include "perf_counters.h"

namespace inxpect {

bool can_test_run_xdp() {
  LibbpfCapture quiet;
  const bpf_insn insns[] = {{BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, XDP_PASS},
                            {BPF_JMP | BPF_EXIT, 0, 0, 0, 0}};
  Fd fd(bpf_prog_load(BPF_PROG_TYPE_XDP, "inxpect_probe", "GPL", insns, 2, nullptr));
  if (!fd) return false;
  uint8_t pkt[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt));
  return bpf_prog_test_run_opts(fd.get(), &t) == 0 && t.retval == XDP_PASS;
}

// libbpf 1.1's helper probe reads "cannot use helper" as yes, so this loads
// the call itself, the way inxpect.h makes it.
bool xdp_can_read_perf_events() {
  LibbpfCapture quiet;
  Fd map(bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "inxpect_probe", 4, 4, 1, nullptr));
  if (!map) return false;
  const bpf_insn insns[] = {
      {BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map.get()},
      {0, 0, 0, 0, 0},
      {BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, 0, 0, static_cast<__s32>(BPF_F_CURRENT_CPU)},
      {0, 0, 0, 0, 0},
      {BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0},
      {BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0,
       -static_cast<__s32>(sizeof(bpf_perf_event_value))},
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, sizeof(bpf_perf_event_value)},
      {BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_perf_event_read_value},
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, XDP_PASS},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  Fd fd(bpf_prog_load(BPF_PROG_TYPE_XDP, "inxpect_probe", "GPL", insns,
                      sizeof(insns) / sizeof(insns[0]), nullptr));
  return static_cast<bool>(fd);
}

bool has_hardware_pmu() {
  Event ev = resolve_events("instructions", Backend::Perf, false)[0];
  int fd = open_perf_event(ev, 0);
  Fd owned(fd < 0 ? -1 : fd);
  return static_cast<bool>(owned);
}

}  // namespace inxpect
