// What the events need on this machine, set up once and shared: the kernel
// module loaded (and unloaded again when done, if loaded here) with its
// rdpmc slots configured, and per-CPU perf events opened.  Any number of
// loaded objects read them: the profiled one and the calibration object.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "libinxpect/events.h"
#include "libinxpect/loader.h"

namespace inxpect {

class KmodCounters;
class PerfCounters;

class Counters {
 public:
  // `events` from resolve_events(); empty means {ktime}.  Throws Error:
  // module missing or refused, no PMU, an event this machine lacks, the
  // perf helper not allowed in XDP by this kernel.
  explicit Counters(std::vector<Event> events = {});
  ~Counters();
  Counters(const Counters&) = delete;
  Counters& operator=(const Counters&) = delete;

  const std::vector<Event>& events() const { return events_; }
  // How the macros must read these counters (for LoadedObject::load).
  ProbeConfig probe_config() const;
  // Puts the perf events into `obj`'s maps; call it after loading.
  void install(const LoadedObject& obj) const;
  // Notes on how the counters ran (multiplexing), for the report.
  std::vector<std::string> notes() const;

 private:
  std::vector<Event> events_;
  std::unique_ptr<KmodCounters> kmod_;
  std::unique_ptr<PerfCounters> perf_;
};

}  // namespace inxpect
