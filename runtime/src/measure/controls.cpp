#include "libinxpect/controls.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <sys/mman.h>
#include <unistd.h>

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
  restart_draws();
}

// Each CPU counts down to its next measured run (inxpect.h's
// __inxpect_draws, in .bss): zeroed, every CPU draws anew with the new rate
// at its next run, instead of finishing an interval drawn with the old one.
// The map's memory is mapped and only the countdowns are written, so the
// program's other .bss globals keep their values.  A .bss that cannot be
// mapped keeps its countdowns: the new rate then starts after them.
void Controls::restart_draws() const {
  bpf_object* obj = obj_.get();
  const btf* btf = bpf_object__btf(obj);
  bpf_map* bss = bpf_object__find_map_by_name(obj, ".bss");
  int sec = btf ? btf__find_by_name_kind(btf, ".bss", BTF_KIND_DATASEC) : -1;
  if (!bss || sec < 0 || !(bpf_map__map_flags(bss) & BPF_F_MMAPABLE)) return;
  size_t size = bpf_map__value_size(bss);
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t len = (size + page - 1) / page * page;
  void* mem = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(bss), 0);
  if (mem == MAP_FAILED) return;
  const btf_type* t = btf__type_by_id(btf, sec);
  const btf_var_secinfo* vs = btf_var_secinfos(t);
  for (unsigned i = 0; i < btf_vlen(t); i++, vs++) {
    const char* name = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
    if (std::strcmp(name, "__inxpect_draws") || vs->offset + vs->size > size) continue;
    // One cache line per CPU, the countdown first (inxpect.h).
    auto* at = static_cast<uint8_t*>(mem) + vs->offset;
    for (uint32_t off = 0; off + sizeof(uint64_t) <= vs->size; off += 64)
      __atomic_store_n(reinterpret_cast<uint64_t*>(at + off), 0, __ATOMIC_RELAXED);
  }
  munmap(mem, len);
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
