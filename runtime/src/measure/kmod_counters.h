// The kernel-module counter source: inxpect.ko loaded (by us, if it was not
// already, and then unloaded again when done) and its hardware counter slots
// configured for the events that read them.
#pragma once

#include <string>
#include <vector>

#include "libinxpect/events.h"

namespace inxpect {

class KmodCounters {
 public:
  // Loads the module if needed and configures one slot per KfPmc event, in
  // order.  Throws Error: module missing or built for another kernel, no
  // module support, no permission, no PMU, an event the PMU refuses.
  explicit KmodCounters(const std::vector<Event>& events);
  ~KmodCounters();  // unloads the module if this object loaded it
  KmodCounters(const KmodCounters&) = delete;
  KmodCounters& operator=(const KmodCounters&) = delete;

 private:
  bool loaded_here_ = false;
};

// Where inxpect.ko is: $INXPECT_KMOD; the module of the build tree this
// program runs from; where DKMS installs it for the running kernel
// (/lib/modules/$(uname -r)/updates/dkms/inxpect.ko[.xz]); where depmod
// knows it.  Empty when none exists.
std::string find_kmod_file();

// Slot of event `e`: its index among the events read with rdpmc.
uint32_t kmod_slot(const std::vector<Event>& events, size_t e);

}  // namespace inxpect
