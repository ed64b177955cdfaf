#include "libinxpect/live.h"

#include <bpf/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include <cerrno>

#include "libinxpect/error.h"

namespace inxpect {

XdpMode parse_xdp_mode(const std::string& name) {
  if (name == "native" || name == "drv") return XdpMode::Native;
  if (name == "skb" || name == "generic") return XdpMode::Skb;
  throw Error("unknown XDP mode '" + name + "' (native, skb)", Errc::Usage);
}

XdpAttachment::XdpAttachment(int prog_fd, const std::string& dev, XdpMode mode) {
  unsigned ifindex = if_nametoindex(dev.c_str());
  if (!ifindex) throw Error("no interface '" + dev + "'", Errc::NotFound);
  LIBBPF_OPTS(bpf_link_create_opts, opts,
              .flags = static_cast<__u32>(mode == XdpMode::Native ? XDP_FLAGS_DRV_MODE
                                                                  : XDP_FLAGS_SKB_MODE));
  link_.reset(bpf_link_create(prog_fd, static_cast<int>(ifindex), BPF_XDP, &opts));
  if (!link_) {
    int err = errno;
    std::string hint = err == EBUSY ? " (another XDP program is attached there)"
                       : err == EOPNOTSUPP && mode == XdpMode::Native ? " (try --mode skb)"
                                                                      : "";
    Error e = errno_error("cannot attach to " + dev, err);
    throw Error(e.what() + hint, e.code(), err);
  }
}

}  // namespace inxpect
