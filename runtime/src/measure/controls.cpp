#include "libinxpect/controls.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "countdowns.h"
#include "inxpect/abi.h"
#include "libinxpect/error.h"
#include "libinxpect/loader.h"
#include "libinxpect/site_records.h"

namespace inxpect {

namespace {

// Where inxpect_ctl lies in the object's control map, from the object's
// BTF.  An object without the variable there has controls that span the
// whole map (older objects have nothing else in it).
ControlMap control_map(const LoadedObject& obj) {
  ControlMap m;
  m.fd = obj.controls_fd();
  m.value_size = obj.controls_size();
  m.ctl_size = m.value_size;
  const btf* b = bpf_object__btf(obj.get());
  int sec = b ? btf__find_by_name_kind(b, INXPECT_CTL_SECTION, BTF_KIND_DATASEC) : -1;
  if (sec > 0)
    if (std::optional<BtfVar> v = control_var(datasec_vars(b, sec))) {
      m.ctl_offset = v->offset;
      m.ctl_size = v->size;
    }
  return m;
}

}  // namespace

Controls::Controls(const LoadedObject& obj, const ControlOptions& opts)
    : obj_(&obj),
      table_(obj.sections()),
      origin_(obj.path()),
      map_(control_map(obj)),
      opts_(opts),
      disabled_(table_.sections().size(), 0) {
  if (!opts_.sample_rate) opts_.sample_rate = 1;
  if (map_.fd < 0) return;
  check_slots();
  write();
}

Controls::Controls(const ControlMap& map, const SectionTable& table, const std::string& origin)
    : table_(table), origin_(origin), map_(map), disabled_(table_.sections().size(), 0) {
  if (map_.fd < 0) return;  // not instrumented: every call is a no-op
  check_slots();
  std::vector<uint8_t> buf(map_.value_size);
  uint32_t key = 0;
  if (bpf_map_lookup_elem(map_.fd, &key, buf.data()))
    throw errno_error("cannot read the InXpect controls of " + origin_, errno);
  inxpect_ctl c;
  std::memcpy(&c, buf.data() + map_.ctl_offset, sizeof(c));
  opts_.sample_rate = c.sample_rate ? c.sample_rate : 1;
  opts_.histograms = !(c.flags & INXPECT_CTL_NO_HIST);
  opts_.paths = !(c.flags & INXPECT_CTL_NO_PATHS);
  for (const Section& s : table_.sections())
    for (uint32_t slot : s.slots)
      if (buf[map_.ctl_offset + sizeof(inxpect_ctl) + slot]) disabled_[s.id] = 1;
}

void Controls::check_slots() {
  if (map_.ctl_size < sizeof(inxpect_ctl) || map_.ctl_offset > map_.value_size ||
      map_.ctl_size > map_.value_size - map_.ctl_offset)
    throw Error(origin_ + " is not compatible with this inxpect: its inxpect_ctl is " +
                    std::to_string(map_.ctl_size) + " bytes, less than the " +
                    std::to_string(sizeof(inxpect_ctl)) +
                    " of abi.h's controls: rebuild it with this inxpect.h",
                Errc::BadInput);
  slots_ = map_.ctl_size - static_cast<uint32_t>(sizeof(inxpect_ctl));
  for (const Section& s : table_.sections())
    for (uint32_t slot : s.slots)
      if (slot >= slots_)
        throw Error(origin_ + ": section '" + s.name + "' has slot " + std::to_string(slot) +
                        " but the object has room for " + std::to_string(slots_) + " slots",
                    Errc::BadInput);
}

void Controls::set_sample_rate(uint32_t rate) {
  opts_.sample_rate = rate ? rate : 1;
  write();
  restart_sampling();
}

// Each CPU's countdown starts over (countdowns.h): in the .bss map of the
// object inxpect loaded, or of the program someone else loaded, found
// among its maps.
void Controls::restart_sampling() const {
  if (!obj_) {
    zero_countdowns(map_.bss_fd);
    return;
  }
  bpf_map* bss = obj_->internal_map(".bss");
  const btf* b = bpf_object__btf(obj_->get());
  if (!bss || !b || !(bpf_map__map_flags(bss) & BPF_F_MMAPABLE)) return;
  zero_countdowns(bpf_map__fd(bss), bpf_map__value_size(bss), b,
                  btf__find_by_name_kind(b, ".bss", BTF_KIND_DATASEC));
}

void Controls::set_histograms(bool on) {
  refuse_on_lean(on, "histograms");
  opts_.histograms = on;
  write();
}

void Controls::set_paths(bool on) {
  refuse_on_lean(on, "call paths");
  opts_.paths = on;
  write();
}

// The lean probe's code keeps neither: switching them on needs a reload.
void Controls::refuse_on_lean(bool on, const char* what) const {
  if (on && obj_ && obj_->probe().lean)
    throw Error(origin_ + " was loaded with the lean probe, which keeps no " + what +
                    ": load it again without --no-hist and --no-paths",
                Errc::Usage);
}

void Controls::set_enabled(uint32_t id, bool enabled) {
  if (id >= disabled_.size())
    throw Error("no section " + std::to_string(id) + " in " + origin_, Errc::NotFound);
  disabled_[id] = !enabled;
  write();
}

void Controls::set_enabled(const std::string& name, bool enabled) {
  const Section* s = table_.find(name);
  if (!s) throw Error("no section '" + name + "' in " + origin_, Errc::NotFound);
  set_enabled(s->id, enabled);
}

// Read, change, write back: the map's value also holds the site records
// (and, for a program loaded by others, the events its loader chose).
void Controls::write() const {
  if (map_.fd < 0) return;  // an object without sections
  std::vector<uint8_t> buf(map_.value_size);
  uint32_t key = 0;
  if (bpf_map_lookup_elem(map_.fd, &key, buf.data()))
    throw errno_error("cannot read the InXpect controls", errno);
  uint8_t* at = buf.data() + map_.ctl_offset;
  inxpect_ctl c;
  std::memcpy(&c, at, sizeof(c));
  c.abi = INXPECT_ABI_VERSION;
  c.sample_rate = opts_.sample_rate;
  c.flags = (opts_.histograms ? 0 : INXPECT_CTL_NO_HIST) | (opts_.paths ? 0 : INXPECT_CTL_NO_PATHS);
  if (obj_) {
    const ProbeConfig& p = obj_->probe();
    c.nr_events = static_cast<uint32_t>(std::min<size_t>(p.sources.size(), INXPECT_MAX_EVENTS));
    for (uint32_t e = 0; e < INXPECT_MAX_EVENTS; e++) {
      c.src[e] = e < c.nr_events ? static_cast<uint32_t>(p.sources[e]) : 0;
      c.pmc_slot[e] = e < c.nr_events && e < p.slots.size() ? p.slots[e] : 0;
    }
  }
  std::memcpy(at, &c, sizeof(c));
  std::fill(at + sizeof(c), at + map_.ctl_size, 0);
  for (const Section& s : table_.sections())
    if (disabled_[s.id])
      for (uint32_t slot : s.slots) at[sizeof(inxpect_ctl) + slot] = 1;
  if (bpf_map_update_elem(map_.fd, &key, buf.data(), BPF_ANY))
    throw errno_error("cannot write the InXpect controls", errno);
}

}  // namespace inxpect
