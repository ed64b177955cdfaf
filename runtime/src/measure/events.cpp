#include "libinxpect/events.h"

#include <linux/perf_event.h>

#include <cstdio>
#include <cstring>
#include <sstream>

#include "libinxpect/error.h"

namespace inxpect {
namespace {

struct Named {
  const char* name;
  uint32_t type;
  uint64_t config;
};

// perf's generic events: what every PMU driver maps to its own codes.
constexpr Named kPerfEvents[] = {
    {"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    {"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    {"ref-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES},
    {"branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    {"branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES},
    {"cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES},
    {"cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
    {"llc-misses", PERF_TYPE_HW_CACHE,
     PERF_COUNT_HW_CACHE_LL | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
         (PERF_COUNT_HW_CACHE_RESULT_MISS << 16)},
    {"cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK},
    {"task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
};

bool parse_raw(const std::string& s, uint64_t* config) {
  if (s.size() < 2 || s[0] != 'r') return false;
  char* end = nullptr;
  errno = 0;
  *config = std::strtoull(s.c_str() + 1, &end, 16);
  return errno == 0 && end && *end == '\0';
}

Event resolve_one(const std::string& name, Backend backend, bool kmod_present) {
  Event ev;
  ev.name = name;
  if (name == "ktime" || name == "ns") {
    if (backend == Backend::Perf || backend == Backend::Kmod)
      throw Error("event 'ktime' is read with bpf_ktime_get_ns; use --backend ktime or auto",
                  Errc::Usage);
    ev.unit = "ns";
    ev.source = Source::Ktime;
    return ev;
  }
  if (name == "tsc") {
    if (backend == Backend::Ktime || backend == Backend::Perf)
      throw Error("event 'tsc' is read by the inxpect kernel module; use --backend kmod or auto",
                  Errc::Usage);
    if (!kmod_present)
      throw Error("event 'tsc' needs the inxpect kernel module, which is not available",
                  Errc::Unsupported);
    ev.unit = "tsc-ticks";
    ev.source = Source::KfTsc;
    return ev;
  }
  bool found = false;
  for (const Named& n : kPerfEvents) {
    if (name == n.name) {
      ev.perf_type = n.type;
      ev.perf_config = n.config;
      found = true;
    }
  }
  if (!found && parse_raw(name, &ev.perf_config)) {
    ev.perf_type = PERF_TYPE_RAW;
    found = true;
  }
  if (!found)
    throw Error("unknown event '" + name + "' (known: " + known_event_names() + ")", Errc::Usage);
  ev.unit = name;
  ev.hardware = ev.perf_type != PERF_TYPE_SOFTWARE;
  bool via_kmod =
      ev.hardware && (backend == Backend::Kmod || (backend == Backend::Auto && kmod_present));
  if (backend == Backend::Ktime)
    throw Error("event '" + name + "' is a perf event; --backend ktime reads only 'ktime'",
                Errc::Usage);
  if (backend == Backend::Kmod && !ev.hardware)
    throw Error(
        "event '" + name + "' is a software event; the kernel module reads hardware counters only",
        Errc::Usage);
  if (via_kmod && !kmod_present)
    throw Error("event '" + name + "' needs the inxpect kernel module, which is not available",
                Errc::Unsupported);
  ev.source = via_kmod ? Source::KfPmc : Source::Perf;
  return ev;
}

}  // namespace

Backend parse_backend(const std::string& name) {
  if (name == "auto") return Backend::Auto;
  if (name == "ktime") return Backend::Ktime;
  if (name == "perf") return Backend::Perf;
  if (name == "kmod") return Backend::Kmod;
  throw Error("unknown backend '" + name + "' (known: auto, kmod, perf, ktime)", Errc::Usage);
}

const char* backend_name(Backend b) {
  switch (b) {
    case Backend::Auto: return "auto";
    case Backend::Ktime: return "ktime";
    case Backend::Perf: return "perf";
    case Backend::Kmod: return "kmod";
  }
  return "?";
}

const char* source_name(Source s) {
  switch (s) {
    case Source::Ktime: return "ktime";
    case Source::Perf: return "perf-helper";
    case Source::KfTsc: return "kmod-tsc";
    case Source::KfPmc: return "kmod-rdpmc";
  }
  return "?";
}

std::vector<Event> resolve_events(const std::string& list, Backend backend, bool kmod_present) {
  std::vector<Event> events;
  std::stringstream ss(list);
  std::string name;
  while (std::getline(ss, name, ',')) {
    if (name.empty()) continue;
    for (const Event& e : events)
      if (e.name == name) throw Error("event '" + name + "' is listed twice", Errc::Usage);
    events.push_back(resolve_one(name, backend, kmod_present));
  }
  if (events.empty()) throw Error("no events given", Errc::Usage);
  if (events.size() > INXPECT_MAX_EVENTS)
    throw Error("too many events: " + std::to_string(events.size()) + " given, at most " +
                    std::to_string(INXPECT_MAX_EVENTS) + " at once",
                Errc::Usage);
  return events;
}

std::string known_event_names() {
  std::string s = "ktime, tsc";
  for (const Named& n : kPerfEvents) s += std::string(", ") + n.name;
  return s + ", rHEX (raw)";
}

std::string perf_event_name(uint32_t type, uint64_t config) {
  for (const Named& n : kPerfEvents)
    if (n.type == type && n.config == config) return n.name;
  char buf[64];
  if (type == PERF_TYPE_RAW)
    std::snprintf(buf, sizeof(buf), "r%04llx", static_cast<unsigned long long>(config));
  else
    std::snprintf(buf, sizeof(buf), "type %u config 0x%llx", type,
                  static_cast<unsigned long long>(config));
  return buf;
}

}  // namespace inxpect
