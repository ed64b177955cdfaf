#include "bpf_env.h"

#include <sched.h>
#include <unistd.h>

#include "libinxpect/probe.h"

namespace inxpect::test {

std::string bpf_unavailable_reason() {
  if (geteuid() != 0) return "needs root to load BPF programs";
  if (!can_test_run_xdp()) return "this kernel refuses to load or test-run XDP programs";
  return "";
}

bool examples_built() { return access(example_object("drop.o").c_str(), F_OK) == 0; }

void pin_to_cpu0() {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  sched_setaffinity(0, sizeof(set), &set);
}

}  // namespace inxpect::test
