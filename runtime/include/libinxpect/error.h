// One-line, user-facing errors.  Library code throws inxpect::Error with a
// message a network engineer can act on; the CLI prints it and exits 1.
#pragma once

#include <stdexcept>
#include <string>

namespace inxpect {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "what: strerror(err)", with a hint for the errors users hit most.
std::string errno_message(const std::string& what, int err);

}  // namespace inxpect
