// The comparison profiler (fprof.bpf.c), as bpftool prog profile does it:
// fentry/fexit around one program, reading one counter per CPU (a hardware
// event if there is a PMU, else the cpu-clock software event) or the TSC
// through inxpect.ko's kfunc.  Loaded through its skeleton and the
// runtime's loader.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "libinxpect/fd.h"
#include "libinxpect/loader.h"

struct fprof_bpf;

namespace inxpect::bench {

class Fprof {
 public:
  enum class Clock {
    Perf,  // bpf_perf_event_read_value on per-CPU perf events
    Tsc,   // inxpect.ko's inxpect_kf_rdtsc
  };

  // Loads the profiler around function `func` of program `target_fd` and
  // attaches it.  Throws Error.
  Fprof(int target_fd, const std::string& func, Clock clock);

  // What the counter counts: "instructions", "cpu-clock" or "tsc".
  const std::string& event() const { return event_; }
  // Runs seen by fexit, and the counter deltas summed over CPUs.
  std::pair<uint64_t, uint64_t> read() const;

 private:
  void open_events();

  std::string event_ = "tsc";
  std::vector<Fd> perf_fds_;  // destroyed after the programs that read them
  fprof_bpf* skel_;           // owned by obj_
  LoadedObject obj_;
};

}  // namespace inxpect::bench
