// Stopping cleanly on a signal.  The CLI's handlers only record the signal;
// long waits (test runs, waiting for the module) see it, and throw
// Interrupted, so every destructor runs on the way out: programs detached
// and freed, the module's counters released, the module unloaded when this
// process was the last to use it, files closed.  Then the process ends by
// the same signal, as its parent expects.
#pragma once

#include "libinxpect/error.h"

namespace inxpect {

class Interrupted : public Error {
 public:
  explicit Interrupted(int sig);
  int signal() const { return sig_; }

 private:
  int sig_;
};

// Records that `sig` asks this process to stop (async-signal-safe).
void request_stop(int sig) noexcept;
// The signal that asked to stop, or 0.
int stop_requested() noexcept;
// Throws Interrupted when a signal asked to stop.
void throw_if_stopped();

// Makes SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE call request_stop,
// without SA_RESTART, so a blocking system call returns EINTR.  Those that
// are ignored when it is called (nohup) stay ignored.
void handle_stop_signals();
// Ends the process by `sig`, with the signal's default action.
[[noreturn]] void die_by_signal(int sig);

}  // namespace inxpect
