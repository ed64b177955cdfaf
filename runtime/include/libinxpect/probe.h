// What this machine allows, asked of the kernel itself.
#pragma once

#include <string>

namespace inxpect {

// XDP programs can be loaded and run with BPF_PROG_TEST_RUN.
bool can_test_run_xdp();
// XDP programs may call bpf_perf_event_read_value (not on Linux 6.12).
bool xdp_can_read_perf_events();
// A hardware "instructions" counter can be opened (there is a PMU).
bool has_hardware_pmu();
// The inxpect kernel module can serve: its device exists, or this kernel
// loads modules and an inxpect.ko is where the runtime looks for one.
bool kmod_available();
// Why it cannot, in a few words; empty when it can.
std::string kmod_unavailable_reason();

}  // namespace inxpect
