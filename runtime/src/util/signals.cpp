#include "libinxpect/signals.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace inxpect {
namespace {

volatile sig_atomic_t g_stop = 0;

void on_signal(int sig) { request_stop(sig); }

}  // namespace

Interrupted::Interrupted(int sig)
    : Error(std::string("interrupted by SIG") + (sigabbrev_np(sig) ? sigabbrev_np(sig) : "?"),
            Errc::Failed),
      sig_(sig) {}

void request_stop(int sig) noexcept {
  if (!g_stop) g_stop = sig;
}

int stop_requested() noexcept { return g_stop; }

void throw_if_stopped() {
  if (int sig = g_stop) throw Interrupted(sig);
}

void handle_stop_signals() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking call returns EINTR and the caller looks
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) {
    // A signal ignored by whoever started us stays ignored (nohup, a
    // shell's background job): that was their choice.
    struct sigaction old;
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &sa, nullptr);
  }
}

void die_by_signal(int sig) {
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  raise(sig);
  _exit(128 + sig);  // a signal whose default action does not end the process
}

}  // namespace inxpect
