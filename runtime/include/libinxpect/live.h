// Live profiling: the program attached to an interface through a bpf_link,
// so it is detached when the link is destroyed or the process dies, however
// it dies.
#pragma once

#include <string>

#include "libinxpect/fd.h"

namespace inxpect {

enum class XdpMode { Native, Skb };

XdpMode parse_xdp_mode(const std::string& name);

class XdpAttachment {
 public:
  // Throws Error when the interface does not exist or refuses the program.
  XdpAttachment(int prog_fd, const std::string& dev, XdpMode mode);
  // Destroying it closes the link, which detaches the program.

 private:
  Fd link_;
};

}  // namespace inxpect
