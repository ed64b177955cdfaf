// One-line, user-facing errors that carry a code.  Library code throws
// inxpect::Error with a message a network engineer can act on and a code a
// program can act on (skip or fail, exit status, the "code" of a JSON
// error); the CLI prints it and exits with exit_status(code).
#pragma once

#include <stdexcept>
#include <string>

namespace inxpect {

enum class Errc {
  Failed,        // anything not below
  Usage,         // a bad command line or option value
  BadInput,      // a file or spec that is not what it should be
  NotFound,      // a named thing does not exist: file, program, section, map, interface
  NoPermission,  // the kernel refused for lack of privileges (EPERM, EACCES)
  Unsupported,   // this machine or kernel lacks something: PMU, module, helper
  Verifier,      // the verifier rejected a program
  System,        // a system call failed otherwise
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, Errc code = Errc::Failed, int sys_errno = 0)
      : std::runtime_error(message), code_(code), errno_(sys_errno) {}
  Errc code() const { return code_; }
  int sys_errno() const { return errno_; }  // 0 when no system call failed

 private:
  Errc code_;
  int errno_;
};

// "what: strerror(err)", with a hint for the errors users hit most.
std::string errno_message(const std::string& what, int err);
// An Error for a failed system call: NoPermission for EPERM and EACCES,
// NotFound for ENOENT, `otherwise` for the rest.  `err` may be negative.
Error errno_error(const std::string& what, int err, Errc otherwise = Errc::System);

// "usage", "bad_input", ...: the code as JSON errors name it.
const char* errc_name(Errc code);
// The process exit status for `code` (sysexits.h: EX_USAGE 64, EX_DATAERR
// 65, EX_NOINPUT 66, EX_UNAVAILABLE 69, EX_OSERR 71, EX_NOPERM 77; else 1).
int exit_status(Errc code);

}  // namespace inxpect
