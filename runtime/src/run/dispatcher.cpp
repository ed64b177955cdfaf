#include "run/dispatcher.h"

#include <cstring>

#include "libinxpect/error.h"

#ifdef INXPECT_HAVE_LIBXDP
#include <xdp/libxdp.h>
#endif

namespace inxpect {

#ifdef INXPECT_HAVE_LIBXDP

// Read through libxdp itself rather than by hand: the protocol (the
// dispatcher's config map and version, its components pinned under
// /sys/fs/bpf/xdp/dispatch-IFINDEX-ID/ and read under libxdp's lock) is
// libxdp's to keep, and Debian's libxdp-dev ships libxdp.a, so the static
// programs of the VM lab link the same code.  Only reading functions are
// called; libxdp's fds on the components close with the multiprog, so
// inxpect keeps none of them alive.
std::vector<uint32_t> dispatcher_components(unsigned ifindex, uint32_t dispatcher_id,
                                            const std::string& what) {
  // libxdp's warnings would be lines beside ours; its error code says enough.
  libxdp_set_print(nullptr);
  xdp_multiprog* mp = xdp_multiprog__get_from_ifindex(static_cast<int>(ifindex));
  if (long err = libxdp_get_error(mp))
    throw Error(what + ": a libxdp dispatcher this inxpect does not understand (libxdp: " +
                    std::strerror(static_cast<int>(-err)) + ")",
                Errc::Unsupported);
  std::vector<uint32_t> ids;
  xdp_program* main = xdp_multiprog__main_prog(mp);
  bool same = main && xdp_program__id(main) == dispatcher_id;
  // libxdp calls a program by its dispatcher's name a single program when
  // it has no config map of the dispatcher's layout, or pins it can read.
  bool legacy = xdp_multiprog__is_legacy(mp);
  for (xdp_program* p = xdp_multiprog__next_prog(nullptr, mp); p;
       p = xdp_multiprog__next_prog(p, mp))
    ids.push_back(xdp_program__id(p));
  xdp_multiprog__close(mp);
  if (!same) throw Error(what + ": replaced while being read", Errc::NotFound);
  if (legacy)
    throw Error(what + ": named " + kDispatcherName +
                    " but libxdp does not read as a dispatcher (its config map, or its " +
                    "components' pins under /sys/fs/bpf/xdp: is bpffs mounted there?)",
                Errc::Unsupported);
  return ids;
}

#else

std::vector<uint32_t> dispatcher_components(unsigned, uint32_t, const std::string& what) {
  throw Error(what + ": a libxdp dispatcher; this inxpect was built without libxdp " +
                  "(libxdp-dev) and cannot see its component programs",
              Errc::Unsupported);
}

#endif

}  // namespace inxpect
