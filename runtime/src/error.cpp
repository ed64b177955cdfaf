#include "libinxpect/error.h"

#include <cerrno>
#include <cstring>

namespace inxpect {

std::string errno_message(const std::string& what, int err) {
  if (err < 0) err = -err;
  std::string msg = what + ": " + std::strerror(err);
  if (err == EPERM || err == EACCES)
    msg += " (run as root, or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)";
  return msg;
}

}  // namespace inxpect
