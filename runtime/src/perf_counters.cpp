#include "perf_counters.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libinxpect/error.h"

namespace inxpect {

int open_perf_event(const Event& ev, int cpu) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.size = sizeof(attr);
  attr.type = ev.perf_type;
  attr.config = ev.perf_config;
  attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  int fd = static_cast<int>(syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC));
  return fd < 0 ? -errno : fd;
}

PerfCounters::PerfCounters(bpf_object* obj, const std::vector<Event>& events) {
  int ncpu = libbpf_num_possible_cpus();
  for (size_t e = 0; e < events.size(); e++) {
    if (events[e].source != Source::Perf) continue;
    std::string map_name = "inxpect_perf" + std::to_string(e);
    bpf_map* map = bpf_object__find_map_by_name(obj, map_name.c_str());
    if (!map) throw Error("object has no map " + map_name + "; was it built with inxpect.h?");
    Open o{events[e].name, {}};
    for (int cpu = 0; cpu < ncpu; cpu++) {
      int fd = open_perf_event(events[e], cpu);
      if (fd == -ENODEV) continue;  // possible but offline CPU
      if (fd < 0) {
        for (int f : o.fds) close(f);
        if (fd == -ENOENT || fd == -EOPNOTSUPP)
          throw Error("event '" + events[e].name + "' is not available on this machine" +
                      (events[e].hardware ? " (no hardware PMU?)" : ""));
        throw Error(errno_message("cannot open event '" + events[e].name + "'", -fd));
      }
      o.fds.push_back(fd);
      uint32_t key = cpu;
      if (bpf_map_update_elem(bpf_map__fd(map), &key, &fd, BPF_ANY)) {
        int err = errno;
        for (int f : o.fds) close(f);
        throw Error(errno_message("cannot install event '" + events[e].name + "' in " + map_name, err));
      }
    }
    open_.push_back(std::move(o));
  }
}

PerfCounters::~PerfCounters() {
  for (const Open& o : open_)
    for (int fd : o.fds) close(fd);
}

std::vector<std::string> PerfCounters::multiplexing_notes() const {
  std::vector<std::string> notes;
  for (const Open& o : open_) {
    uint64_t enabled = 0, running = 0;
    for (int fd : o.fds) {
      uint64_t v[3];
      if (read(fd, v, sizeof(v)) == sizeof(v)) {
        enabled += v[1];
        running += v[2];
      }
    }
    if (enabled && running < enabled)
      notes.push_back(o.event + ": counted " + std::to_string(running * 100 / enabled) +
                      "% of the time (multiplexed)");
  }
  return notes;
}

}  // namespace inxpect
