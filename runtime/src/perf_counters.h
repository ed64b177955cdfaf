// Per-CPU perf events for the perf-helper source: opened here, installed in
// the object's inxpect_perfN PERF_EVENT_ARRAY maps, closed with the session.
#pragma once

#include <string>
#include <vector>

#include "libinxpect/events.h"

struct bpf_object;

namespace inxpect {

class PerfCounters {
 public:
  // Opens event `events[e]` on every online CPU for each e whose source is
  // Perf, and stores the fds in map "inxpect_perf<e>".  Throws Error when
  // the event does not exist on this machine.
  PerfCounters(bpf_object* obj, const std::vector<Event>& events);
  ~PerfCounters();
  PerfCounters(const PerfCounters&) = delete;
  PerfCounters& operator=(const PerfCounters&) = delete;

  // "instructions: counted 62% of the time (multiplexed)" per such event.
  std::vector<std::string> multiplexing_notes() const;

 private:
  struct Open {
    std::string event;
    std::vector<int> fds;
  };
  std::vector<Open> open_;
};

// Opens `ev` on `cpu` (pid -1).  Returns the fd, or -errno.
int open_perf_event(const Event& ev, int cpu);

}  // namespace inxpect
