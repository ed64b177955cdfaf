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

Error errno_error(const std::string& what, int err, Errc otherwise) {
  if (err < 0) err = -err;
  Errc code = err == EPERM || err == EACCES ? Errc::NoPermission
              : err == ENOENT               ? Errc::NotFound
                                            : otherwise;
  return Error(errno_message(what, err), code, err);
}

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::Failed: return "failed";
    case Errc::Usage: return "usage";
    case Errc::BadInput: return "bad_input";
    case Errc::NotFound: return "not_found";
    case Errc::NoPermission: return "permission";
    case Errc::Unsupported: return "unsupported";
    case Errc::Verifier: return "verifier";
    case Errc::System: return "system";
  }
  return "failed";
}

int exit_status(Errc code) {
  switch (code) {
    case Errc::Usage: return 64;
    case Errc::BadInput:
    case Errc::Verifier: return 65;
    case Errc::NotFound: return 66;
    case Errc::Unsupported: return 69;
    case Errc::System: return 71;
    case Errc::NoPermission: return 77;
    case Errc::Failed: break;
  }
  return 1;
}

}  // namespace inxpect
