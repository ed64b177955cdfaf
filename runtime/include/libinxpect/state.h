// Reads a loaded object's per-CPU section state (the inxpect_state map)
// into figures.
#pragma once

#include <cstdint>

#include "libinxpect/stats.h"

namespace inxpect {

class LoadedObject;

// Refers to `obj`, which must outlive it.
class StateReader {
 public:
  // `nr_events`: how many events the object measures (Counters::events()).
  StateReader(const LoadedObject& obj, unsigned nr_events);
  StateReader(const StateReader&) = delete;
  StateReader& operator=(const StateReader&) = delete;

  // Every section, summed over CPUs and per CPU.
  Snapshot snapshot() const;
  // One section, summed over CPUs.
  SectionStats section(uint32_t id) const;
  // Zeroes every accumulator and sampling countdown.
  void reset() const;

 private:
  const LoadedObject& obj_;
  unsigned nr_events_;
};

}  // namespace inxpect
