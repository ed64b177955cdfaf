// Reads a loaded object's per-CPU call-path state (the inxpect_state map,
// abi.h) into figures.
#pragma once

#include <cstdint>
#include <string>

#include "libinxpect/stats.h"

namespace inxpect {

class LoadedObject;

class StateReader {
 public:
  // `nr_events`: how many events the object measures (Counters::events()).
  // Throws Error when the map is not laid out as this runtime's abi.h says
  // (an object built against another inxpect.h, or a hostile one).
  StateReader(const LoadedObject& obj, unsigned nr_events);
  // The inxpect_state map `fd` of a program loaded by others (`origin`
  // names it in errors); the fd must outlive the reader.
  StateReader(int fd, const std::string& origin, unsigned nr_events);
  // Refers to `obj`, which must outlive it.
  StateReader(const StateReader&) = delete;
  StateReader& operator=(const StateReader&) = delete;

  // Every path, summed over CPUs and per CPU.
  Snapshot snapshot() const;
  // Zeroes every accumulator.
  void reset() const;

 private:
  int fd_;
  std::string origin_;
  unsigned nr_events_;
  uint32_t elements_ = 0;
};

}  // namespace inxpect
