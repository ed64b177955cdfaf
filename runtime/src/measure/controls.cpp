#include "libinxpect/controls.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>

#include "inxpect/abi.h"
#include "libinxpect/error.h"
#include "libinxpect/loader.h"

namespace inxpect {

Controls::Controls(const LoadedObject& obj, const ControlOptions& opts)
    : obj_(obj), opts_(opts), disabled_(obj.sections().sections().size(), 0) {
  if (!opts_.sample_rate) opts_.sample_rate = 1;
  if (obj_.controls_fd() < 0) return;
  uint32_t size = obj_.controls_size();
  if (size < sizeof(inxpect_ctl))
    throw Error(obj_.path() + " is not compatible with this inxpect: its .data.inxpect is " +
                    std::to_string(size) + " bytes, less than the " +
                    std::to_string(sizeof(inxpect_ctl)) +
                    " of abi.h's controls: rebuild it with this inxpect.h",
                Errc::BadInput);
  slots_ = size - static_cast<uint32_t>(sizeof(inxpect_ctl));
  for (const Section& s : obj_.sections().sections())
    for (uint32_t slot : s.slots)
      if (slot >= slots_)
        throw Error(obj_.path() + ": section '" + s.name + "' has slot " + std::to_string(slot) +
                        " but the object has room for " + std::to_string(slots_) + " slots",
                    Errc::BadInput);
  write();
}

void Controls::set_sample_rate(uint32_t rate) {
  opts_.sample_rate = rate ? rate : 1;
  write();
}

void Controls::set_histograms(bool on) {
  opts_.histograms = on;
  write();
}

void Controls::set_paths(bool on) {
  opts_.paths = on;
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
  std::vector<uint8_t> buf(sizeof(inxpect_ctl) + slots_, 0);
  inxpect_ctl c{};
  c.abi = INXPECT_ABI_VERSION;
  c.sample_rate = opts_.sample_rate;
  c.flags = (opts_.histograms ? 0 : INXPECT_CTL_NO_HIST) | (opts_.paths ? 0 : INXPECT_CTL_NO_PATHS);
  const ProbeConfig& p = obj_.probe();
  c.nr_events = static_cast<uint32_t>(std::min<size_t>(p.sources.size(), INXPECT_MAX_EVENTS));
  for (uint32_t e = 0; e < c.nr_events; e++) {
    c.src[e] = static_cast<uint32_t>(p.sources[e]);
    c.pmc_slot[e] = e < p.slots.size() ? p.slots[e] : 0;
  }
  std::memcpy(buf.data(), &c, sizeof(c));
  for (const Section& s : obj_.sections().sections())
    if (disabled_[s.id])
      for (uint32_t slot : s.slots) buf[sizeof(inxpect_ctl) + slot] = 1;
  uint32_t key = 0;
  if (bpf_map_update_elem(fd, &key, buf.data(), BPF_ANY))
    throw errno_error("cannot write the InXpect controls", errno);
}

}  // namespace inxpect
