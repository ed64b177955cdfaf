// What the events need on this machine, set up once and shared: a lease on
// the kernel module (kmod.h) with its rdpmc slots claimed for this process,
// and per-CPU perf events opened.  Any number of
// loaded objects read them: the profiled one and the calibration object.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "libinxpect/events.h"
#include "libinxpect/loader.h"

namespace inxpect {

class KmodCounters;
class KmodLease;
class PerfCounters;

class Counters {
 public:
  // `events` from resolve_events(); empty means {ktime}.  Events the module
  // reads use `kmod`, or the module if it is loaded when null (never
  // loading it).  Throws Error: module not loaded or refused, no PMU, an
  // event this machine lacks, counters another process holds, the perf
  // helper not allowed in XDP by this kernel.
  explicit Counters(std::vector<Event> events = {}, std::shared_ptr<KmodLease> kmod = nullptr);
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
