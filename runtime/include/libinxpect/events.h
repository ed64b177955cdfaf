// Events a section measures, and which counter source reads each one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "inxpect/abi.h"

namespace inxpect {

enum class Backend { Auto, Ktime, Perf, Kmod };

enum class Source : uint32_t {
  Ktime = INXPECT_SRC_KTIME,
  Perf = INXPECT_SRC_PERF,
  KfTsc = INXPECT_SRC_KF_TSC,
  KfPmc = INXPECT_SRC_KF_PMC,
};

struct Event {
  std::string name;  // as the user wrote it
  std::string unit;  // "ns", "instructions", ...
  Source source = Source::Ktime;
  uint32_t perf_type = 0;  // perf_event_attr.type, for Perf and KfPmc
  uint64_t perf_config = 0;
  bool hardware = false;  // needs a PMU
};

Backend parse_backend(const std::string& name);
const char* backend_name(Backend b);
const char* source_name(Source s);

// Resolves a comma-separated list ("instructions,cycles", "r00c0", "ktime")
// into at most INXPECT_MAX_EVENTS events read by `backend`.  Auto picks the
// strongest backend each event allows (see README).  `kmod_present` says
// whether the counter module can be used.  Throws Error for unknown names,
// too many events, or an event the backend cannot read.
std::vector<Event> resolve_events(const std::string& list, Backend backend, bool kmod_present);

// Names accepted by resolve_events, for --help and error messages.
std::string known_event_names();

// The name of perf event (type, config): "cycles", "r00c0", or
// "type T config 0xC" for others.
std::string perf_event_name(uint32_t type, uint64_t config);

}  // namespace inxpect
