// Collects what libbpf prints while an object is opened and loaded, so a
// failure can show the verifier's last words instead of pages of log.
//
// libbpf has one printer per process; the runtime installs its router once
// (it never silences libbpf on the way out).  The router hands each message
// to the innermost LibbpfCapture of the thread, if any, and prints it to
// stderr as log.h's level asks.
#pragma once

#include <string>

namespace inxpect {

class LibbpfCapture {
 public:
  LibbpfCapture();   // starts collecting on this thread
  ~LibbpfCapture();  // gives collecting back to the capture around it, if any
  LibbpfCapture(const LibbpfCapture&) = delete;
  LibbpfCapture& operator=(const LibbpfCapture&) = delete;

  // The last `lines` lines of the verifier log, or of libbpf's warnings when
  // the verifier said nothing.
  std::string tail(unsigned lines) const;
  // Whether the kernel's verifier said anything.
  bool has_verifier_log() const;

 private:
  std::string text_;
  LibbpfCapture* outer_;
};

}  // namespace inxpect
