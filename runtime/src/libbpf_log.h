// Collects what libbpf prints while an object is opened and loaded, so a
// failure can show the verifier's last words instead of pages of log.
#pragma once

#include <string>

namespace inxpect {

class LibbpfLog {
 public:
  LibbpfLog();   // starts collecting (libbpf's printer is process-wide)
  ~LibbpfLog();  // silences libbpf again
  LibbpfLog(const LibbpfLog&) = delete;
  LibbpfLog& operator=(const LibbpfLog&) = delete;

  // The last `lines` lines of the verifier log, or of libbpf's warnings when
  // the verifier said nothing.
  std::string tail(unsigned lines) const;
  // Whether the kernel's verifier said anything.
  bool has_verifier_log() const;
};

}  // namespace inxpect
