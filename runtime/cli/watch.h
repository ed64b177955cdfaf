// Watching programs that are already running (running.h), for attach, top
// and serve: the selector the options name, and each program's figures
// over an interval or since the watch began.
#pragma once
#include <signal.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libinxpect/controls.h"
#include "libinxpect/report.h"
#include "libinxpect/running.h"
#include "libinxpect/state.h"
#include "options.h"

namespace inxpect::cli {

// The selector options every watching command takes.
inline constexpr const char* kSelectorOptions[] = {"--prog-id", "--pin", "--name", "--tag",
                                                   "--dev"};

// The one selector of `args`, or Kind::All; throws Error (Errc::Usage) on
// two of them.
Selector selector_of(const Args& args);

// One program's figures: the kernel's (runs and time, while statistics are
// on) and, if it is instrumented, its sections as a report (raw figures:
// the calibration needs counters of inxpect's own).
struct Observed {
  double interval_s = 0;
  uint64_t runs = 0;
  uint64_t run_ns = 0;
  Report report;
};

class Watched {
 public:
  // Applies --sample and --disable to an instrumented program; the
  // destructor puts back what its loader had set.
  Watched(RunningProgram p, const Args& args);
  ~Watched();
  Watched(const Watched&) = delete;
  Watched& operator=(const Watched&) = delete;

  const RunningProgram& program() const { return prog_; }
  // What changed since the last call (or since the watch began).
  Observed interval();
  // Everything since the watch began (counters for serve).
  Observed total();

 private:
  Observed figures(const Snapshot& snap, const RunFigures& run, double seconds) const;

  RunningProgram prog_;
  std::unique_ptr<StateReader> reader_;
  std::unique_ptr<Controls> controls_;
  ControlOptions saved_;
  std::vector<std::string> disabled_;
  Snapshot first_, prev_;
  RunFigures first_run_{}, prev_run_{};
  std::chrono::steady_clock::time_point first_at_, prev_at_;
};

// Signals that end a live session; blocked so that sigtimedwait takes them.
sigset_t stop_signals();

// When live commands report: --interval seconds (default 1), until
// --duration seconds or --count reports (0: until a stop signal).
struct Schedule {
  double interval = 1;
  double duration = 0;
  unsigned long count = 0;
};
// Throws Error (Errc::Usage) on a bad value, so commands check it first.
Schedule schedule_of(const Args& args);

// Calls `tick` on the schedule, with the stop signals blocked throughout;
// the last interval is reported too when a signal cuts it short.
void every_interval(const Schedule& when, const std::function<void()>& tick);

// The programs `args` selects, watched.  Throws Error when a selector finds
// nothing.
std::vector<std::unique_ptr<Watched>> watch_selected(const Args& args);

// Without a selector, adds the XDP programs loaded since.  Calls `read` on
// each program; one that is gone is dropped when the selector may match
// programs of others (none, --name, --tag), else its error is thrown.
void refresh(std::vector<std::unique_ptr<Watched>>& watched, const Args& args,
             const std::function<void(Watched&)>& read);

}  // namespace inxpect::cli
