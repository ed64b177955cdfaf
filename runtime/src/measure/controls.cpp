#include "libinxpect/controls.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>

#include "inxpect/abi.h"
#include "libinxpect/error.h"
#include "libinxpect/loader.h"

namespace inxpect {

Controls::Controls(const LoadedObject& obj, uint32_t sample_rate)
    : obj_(obj),
      sample_rate_(sample_rate ? sample_rate : 1),
      disabled_(obj.sections().sections().size(), 0) {
  if (obj_.controls_fd() >= 0 && obj_.controls_size() != sizeof(inxpect_ctl))
    throw Error(
        obj_.path() + " was built with another version of inxpect.h (.data.inxpect size differs)",
        Errc::BadInput);
  write();
}

void Controls::set_sample_rate(uint32_t rate) {
  sample_rate_ = rate ? rate : 1;
  write();
}

void Controls::set_enabled(uint32_t id, bool enabled) {
  if (id >= disabled_.size())
    throw Error("no section " + std::to_string(id) + " in " + obj_.path(), Errc::NotFound);
  disabled_[id] = !enabled;
  write();
}

void Controls::set_enabled(const std::string& name, bool enabled) {
  const Section* s = obj_.sections().find(name);
  if (!s) throw Error("no section '" + name + "' in " + obj_.path(), Errc::NotFound);
  set_enabled(s->id, enabled);
}

void Controls::write() const {
  int fd = obj_.controls_fd();
  if (fd < 0) return;  // an object without sections
  inxpect_ctl v;
  std::memset(&v, 0, sizeof(v));
  v.sample_rate = sample_rate_;
  for (size_t i = 0; i < disabled_.size() && i < INXPECT_MAX_SECTIONS; i++)
    v.disabled[i] = disabled_[i];
  uint32_t key = 0;
  if (bpf_map_update_elem(fd, &key, &v, BPF_ANY))
    throw errno_error("cannot write the InXpect controls", errno);
}

}  // namespace inxpect
