// An instrumented object being profiled: the counters it reads, the object
// loaded with them, its run-time controls and its state.  A thin composition
// of counters.h, loader.h, controls.h and state.h, each usable alone.
//
// The section state is reached through map fds only, so a later "attach to
// a loaded program" mode can build the same view from a program id.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "libinxpect/calibration.h"
#include "libinxpect/controls.h"
#include "libinxpect/counters.h"
#include "libinxpect/events.h"
#include "libinxpect/loader.h"
#include "libinxpect/section_table.h"
#include "libinxpect/state.h"
#include "libinxpect/stats.h"

namespace inxpect {

struct LoadOptions {
  std::vector<Event> events;  // from resolve_events(); empty means {ktime}
  uint32_t sample_rate = 1;
  bool histograms = true;
  bool paths = true;
  std::vector<std::string> disabled;  // sections that start disabled
  // MAP=FILE: entries to put in a map before the program runs (see map_fill.h).
  std::vector<std::pair<std::string, std::string>> map_fills;
  // The module lease for events the module reads (kmod.h); null: the module
  // if it is loaded.
  std::shared_ptr<KmodLease> kmod;
};

class Session {
 public:
  // Sets up counters for opts.events, then opens, configures and loads
  // `path`.  Throws Error with one line (and the tail of the verifier log
  // when the verifier refused a program).
  Session(const std::string& path, const LoadOptions& opts);
  // The same with counters already set up (opts.events is ignored).
  Session(const std::string& path, std::shared_ptr<const Counters> counters,
          const LoadOptions& opts);
  // Its controls and state reader refer to its object: never copied.
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& path() const { return object_.path(); }
  const SectionTable& sections() const { return object_.sections(); }
  const std::vector<Event>& events() const { return counters_->events(); }
  uint32_t sample_rate() const { return controls_.sample_rate(); }
  const Counters& counters() const { return *counters_; }
  const LoadedObject& object() const { return object_; }

  // XDP programs in the object, in ELF order.
  std::vector<std::string> program_names() const { return object_.program_names(); }
  // The fd of program `name`, or of the first XDP program when empty.
  // Throws Error naming the programs that exist.
  int program_fd(const std::string& name, std::string* resolved = nullptr) const {
    return object_.program_fd(name, resolved);
  }
  // The fd of the object's map `name`, or -1 when it has none: for tests and
  // tools that read what the program itself keeps.
  int map_fd(const std::string& name) const { return object_.map_fd(name); }

  // Run-time controls: take effect on the next packet, no reload.
  void set_sample_rate(uint32_t rate) { controls_.set_sample_rate(rate); }
  void set_enabled(const std::string& section, bool enabled) {
    controls_.set_enabled(section, enabled);
  }
  void set_histograms(bool on) { controls_.set_histograms(on); }
  void set_paths(bool on) { controls_.set_paths(on); }
  Controls& controls() { return controls_; }
  // Zeroes every accumulator.
  void reset() const { state_.reset(); }

  Snapshot snapshot() const { return state_.snapshot(); }
  // One section over all its call paths; throws Error when there is none.
  SectionStats section(const std::string& name) const;
  // The profiler's own cost (calibrate.h), measured for this object's
  // probe, counters and sampling rate.
  Calibration calibrate() const;
  // Notes on how the counters ran (multiplexing), for the report.
  std::vector<std::string> counter_notes() const { return counters_->notes(); }

 private:
  // First: destroyed last, after the programs that hold the module's kfuncs
  // are gone, so the module can be unloaded.
  std::shared_ptr<const Counters> counters_;
  LoadedObject object_;
  Controls controls_;
  StateReader state_;
};

}  // namespace inxpect
