// An instrumented object loaded into the kernel: its programs, its section
// table, the counters it reads and the controls user space turns at run time.
//
// The section state is reached through map fds only, so a later "attach to
// a loaded program" mode can build the same view from a program id.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "libinxpect/events.h"
#include "libinxpect/section_table.h"
#include "libinxpect/stats.h"

struct bpf_object;
struct bpf_program;

namespace inxpect {

class KmodCounters;
class PerfCounters;

struct LoadOptions {
  std::vector<Event> events;  // from resolve_events(); empty means {ktime}
  uint32_t sample_rate = 1;
  std::vector<std::string> disabled;  // sections that start disabled
  // MAP=FILE: entries to put in a map before the program runs (see map_fill.h).
  std::vector<std::pair<std::string, std::string>> map_fills;
};

// Figures of every section, summed over CPUs and per CPU.
struct Snapshot {
  std::vector<SectionStats> total;               // by section id
  std::vector<std::vector<SectionStats>> per_cpu;  // [cpu][section id]
};

class Session {
 public:
  // Opens, configures and loads `path`.  Throws Error with one line (and the
  // tail of the verifier log when the verifier refused a program).
  Session(const std::string& path, const LoadOptions& opts);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& path() const { return path_; }
  const SectionTable& sections() const { return table_; }
  const std::vector<Event>& events() const { return events_; }
  uint32_t sample_rate() const { return sample_rate_; }

  // XDP programs in the object, in ELF order.
  std::vector<std::string> program_names() const;
  // The fd of program `name`, or of the first XDP program when empty.
  // Throws Error naming the programs that exist.
  int program_fd(const std::string& name, std::string* resolved = nullptr) const;

  // Run-time controls: take effect on the next packet, no reload.
  void set_sample_rate(uint32_t rate);
  void set_enabled(const std::string& section, bool enabled);
  // Zeroes every accumulator and sampling countdown.
  void reset();

  // The fd of the object's map `name`, or -1 when it has none: for tests and
  // tools that read what the program itself keeps.
  int map_fd(const char* name) const;

  Snapshot snapshot() const;
  // Notes on how the counters ran (multiplexing), for the report.
  std::vector<std::string> counter_notes() const;

 private:
  void configure_rodata();
  void write_ctl();

  std::string path_;
  SectionTable table_;
  std::vector<Event> events_;
  uint32_t sample_rate_ = 1;
  std::vector<uint8_t> disabled_;
  // Declared before obj_'s users: destroyed last, after the programs that
  // hold the module's kfuncs are gone, so the module can be unloaded.
  std::unique_ptr<KmodCounters> kmod_;
  bpf_object* obj_ = nullptr;
  std::unique_ptr<PerfCounters> perf_;
};

// What changed from `before` to `now`, for interval reports.
Snapshot since(const Snapshot& now, const Snapshot& before);

}  // namespace inxpect
