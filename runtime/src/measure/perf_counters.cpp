#include "perf_counters.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libinxpect/error.h"
#include "libinxpect/loader.h"

namespace inxpect {

int open_perf_event(const Event& ev, int cpu) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.size = sizeof(attr);
  attr.type = ev.perf_type;
  attr.config = ev.perf_config;
  attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  int fd =
      static_cast<int>(syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC));
  return fd < 0 ? -errno : fd;
}

PerfCounters::PerfCounters(const std::vector<Event>& events) {
  int ncpu = libbpf_num_possible_cpus();
  for (size_t e = 0; e < events.size(); e++) {
    if (events[e].source != Source::Perf) continue;
    Open o{e, events[e].name, {}};
    for (int cpu = 0; cpu < ncpu; cpu++) {
      int fd = open_perf_event(events[e], cpu);
      if (fd == -ENODEV) continue;  // possible but offline CPU
      if (fd == -ENOENT || fd == -EOPNOTSUPP)
        throw Error("event '" + events[e].name + "' is not available on this machine" +
                        (events[e].hardware ? " (no hardware PMU?)" : ""),
                    Errc::Unsupported, -fd);
      if (fd < 0) throw errno_error("cannot open event '" + events[e].name + "'", -fd);
      o.fds.emplace_back(cpu, Fd(fd));
    }
    open_.push_back(std::move(o));
  }
}

void PerfCounters::install(const LoadedObject& obj) const {
  for (const Open& o : open_) {
    std::string map_name = "inxpect_perf" + std::to_string(o.slot);
    int map = obj.map_fd(map_name);
    if (map < 0)
      throw Error(obj.path() + " has no map " + map_name + "; was it built with inxpect.h?",
                  Errc::BadInput);
    // The kernel reads value_size bytes where one fd is passed: an object
    // whose map is not what inxpect.h declares is refused, not overread.
    const bpf_map* m = bpf_object__find_map_by_name(obj.get(), map_name.c_str());
    if (!m || bpf_map__type(m) != BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
        bpf_map__key_size(m) != sizeof(uint32_t) || bpf_map__value_size(m) != sizeof(int))
      throw Error(obj.path() + ": map " + map_name +
                      " is not the perf event array inxpect.h declares (built with another "
                      "version of inxpect.h?)",
                  Errc::BadInput);
    for (const auto& [cpu, fd] : o.fds) {
      uint32_t key = static_cast<uint32_t>(cpu);
      int value = fd.get();
      if (bpf_map_update_elem(map, &key, &value, BPF_ANY))
        throw errno_error("cannot install event '" + o.event + "' in " + map_name, errno);
    }
  }
}

std::vector<std::string> PerfCounters::multiplexing_notes() const {
  std::vector<std::string> notes;
  for (const Open& o : open_) {
    uint64_t enabled = 0, running = 0;
    for (const auto& [cpu, fd] : o.fds) {
      uint64_t v[3];
      if (read(fd.get(), v, sizeof(v)) == sizeof(v)) {
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
