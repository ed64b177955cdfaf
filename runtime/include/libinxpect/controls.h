// The run-time controls of a loaded object, its ".data.inxpect" map:
// sampling rate and per-section enable.  They take effect on the next
// packet, without a reload.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace inxpect {

class LoadedObject;

// Refers to `obj`, which must outlive it.
class Controls {
 public:
  // Writes the initial controls.  An object without sections has no
  // controls; then every call is a no-op.  Throws Error when the map does
  // not have the layout of this runtime's inxpect.h.
  explicit Controls(const LoadedObject& obj, uint32_t sample_rate = 1);
  Controls(const Controls&) = delete;
  Controls& operator=(const Controls&) = delete;

  uint32_t sample_rate() const { return sample_rate_; }
  void set_sample_rate(uint32_t rate);  // 0 is 1
  void set_enabled(uint32_t section_id, bool enabled);
  // By name; throws Error when the object has no such section.
  void set_enabled(const std::string& section, bool enabled);

 private:
  void write() const;

  const LoadedObject& obj_;
  uint32_t sample_rate_;
  std::vector<uint8_t> disabled_;
};

}  // namespace inxpect
