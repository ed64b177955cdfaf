#include "libinxpect/fd.h"

#include <unistd.h>

namespace inxpect {

void Fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

}  // namespace inxpect
