// The module's hardware counter slots, between processes: what one inxpect
// process asks of /dev/inxpect for the events it reads with rdpmc, and how
// it gives them back on every way out.  Two processes never silently take
// each other's counters: the same events are shared, other events are one
// clear error, and what a process configured does not outlive it.
#pragma once

#include <vector>

#include "inxpect/kmod_uapi.h"
#include "libinxpect/events.h"

namespace inxpect {

// /dev/inxpect as the claim uses it: the real device (ioctl) in the
// runtime, a fake in the unit tests.
class KmodDevice {
 public:
  virtual ~KmodDevice() = default;
  // 0, or -errno.
  virtual int info(inxpect_kmod_info* out) = 0;
  virtual int set_events(inxpect_kmod_config* cfg) = 0;
};

// Configures the counter slots for `pmc`, the events read with rdpmc in
// slot order, for this process.
//   - Module ABI 2 and later count the open files that hold the counters:
//     the same events are shared, others fail with EBUSY, which becomes a
//     one-line error naming what is configured.
//   - ABI 1 keeps one configuration for everybody: the same events,
//     configured already, are shared untouched; other events are refused
//     while `others_use_module` (another inxpect process holds the module,
//     kmod.h), and otherwise replace what a process that is gone left.
// Returns whether this process must give the configuration back.  Throws
// Error: no PMU, an event the PMU refuses, counters held by another
// process, a module of another ABI.
bool claim_counters(KmodDevice& dev, const std::vector<Event>& pmc, bool others_use_module);

// Gives them back: under ABI 2 always (the module counts holders); under
// ABI 1 when no other inxpect process uses the module and what is
// configured is still `pmc`.
void release_counters(KmodDevice& dev, const std::vector<Event>& pmc,
                      bool others_use_module) noexcept;

}  // namespace inxpect
