// Per-CPU perf events for the perf-helper source: opened here, installed in
// each object's inxpect_perfN PERF_EVENT_ARRAY maps, closed with this.
#pragma once

#include <string>
#include <vector>

#include "libinxpect/events.h"
#include "libinxpect/fd.h"

namespace inxpect {

class LoadedObject;

class PerfCounters {
 public:
  // Opens event `events[e]` on every online CPU for each e whose source is
  // Perf.  Throws Error when the event does not exist on this machine; what
  // was opened before is closed.
  explicit PerfCounters(const std::vector<Event>& events);

  // Stores the fds in `obj`'s map "inxpect_perf<e>".
  void install(const LoadedObject& obj) const;
  // "instructions: counted 62% of the time (multiplexed)" per such event.
  std::vector<std::string> multiplexing_notes() const;

 private:
  struct Open {
    size_t slot;  // event index, the N of inxpect_perfN
    std::string event;
    std::vector<std::pair<int, Fd>> fds;  // (cpu, fd)
  };
  std::vector<Open> open_;
};

// Opens `ev` on `cpu` (pid -1).  Returns the fd, or -errno.
int open_perf_event(const Event& ev, int cpu);

}  // namespace inxpect
