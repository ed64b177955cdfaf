// The run-time controls of a loaded object, its ".data.inxpect" map (abi.h,
// struct inxpect_ctl): sampling rate, histograms and call paths on or off,
// per-section enable, and for the module the events to read.  They take
// effect on the next packet, without a reload.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libinxpect/loader.h"

namespace inxpect {

struct ControlOptions {
  uint32_t sample_rate = 1;  // 0 is 1
  bool histograms = true;
  bool paths = true;
};

// Where the controls lie in a loaded ".data.inxpect" map: its value also
// holds the site records (abi.h), which writes must leave alone.
struct ControlMap {
  int fd = -1;
  uint32_t value_size = 0;
  uint32_t ctl_offset = 0;  // of inxpect_ctl
  uint32_t ctl_size = 0;    // inxpect_ctl with its disabled bytes
  // A program loaded by others: its .bss map, which holds each CPU's
  // sampling countdown (-1: none, the countdowns run out on their own).
  int bss_fd = -1;
};

// Refers to the object or table it is given, which must outlive it.
class Controls {
 public:
  // Writes the initial controls.  An object without sections has no
  // controls; then every call is a no-op.  Throws Error when the map does
  // not have the layout of this runtime's abi.h.
  explicit Controls(const LoadedObject& obj, const ControlOptions& opts = {});
  // The controls of a program someone else loaded (`origin` names it in
  // errors): nothing is written until asked, and the events it reads stay
  // as its loader set them.  The options start as the map holds them.
  Controls(const ControlMap& map, const SectionTable& table, const std::string& origin);
  Controls(const Controls&) = delete;
  Controls& operator=(const Controls&) = delete;

  uint32_t sample_rate() const { return opts_.sample_rate; }
  const ControlOptions& options() const { return opts_; }
  // 0 is 1.  Each CPU's countdown to its next measured run starts over,
  // so the new rate applies from the next run, not after the interval
  // drawn at the old one.
  void set_sample_rate(uint32_t rate);
  void set_histograms(bool on);
  void set_paths(bool on);
  void set_enabled(uint32_t section_id, bool enabled);
  // By name; throws Error when the object has no such section.
  void set_enabled(const std::string& section, bool enabled);

 private:
  void refuse_on_lean(bool on, const char* what) const;
  void check_slots();
  void write() const;
  void restart_sampling() const;

  const LoadedObject* obj_ = nullptr;  // null for a program loaded by others
  const SectionTable& table_;
  std::string origin_;
  ControlMap map_;
  ControlOptions opts_;
  std::vector<uint8_t> disabled_;  // by section id
  uint32_t slots_ = 0;             // disabled bytes the object has room for
};

}  // namespace inxpect
