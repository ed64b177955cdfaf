// The kernel-module counter source: a lease on inxpect.ko (kmod.h) and, for
// events read with rdpmc, the module's counter slots claimed for this
// process (kmod_claim.h) through its own open /dev/inxpect, given back
// when it goes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "libinxpect/events.h"
#include "libinxpect/fd.h"
#include "libinxpect/kmod.h"

namespace inxpect {

class KmodCounters {
 public:
  // Uses `lease` (a lease on the module if it is loaded when null) and
  // configures one slot per KfPmc event, in order.  Throws Error: module
  // not loaded or without BTF, no permission, no PMU, an event the PMU
  // refuses, counters held by another process with other events.
  KmodCounters(const std::vector<Event>& events, std::shared_ptr<KmodLease> lease);
  ~KmodCounters();  // gives the counters back; the lease goes with the last owner
  KmodCounters(const KmodCounters&) = delete;
  KmodCounters& operator=(const KmodCounters&) = delete;

 private:
  std::shared_ptr<KmodLease> lease_;  // first: released last
  Fd dev_;
  std::vector<Event> pmc_;
};

// Slot of event `e`: its index among the events read with rdpmc.
uint32_t kmod_slot(const std::vector<Event>& events, size_t e);

}  // namespace inxpect
