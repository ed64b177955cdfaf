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
  restart_sampling();
}

// inxpect.h keeps each CPU's countdown in .bss (__inxpect_draws, an array
// of structs whose member tick counts the runs to the next measured one).
// They are zeroed in place, through a mapping of the .bss map, so the
// program's own .bss variables are not touched; a tick written by a run
// at the same moment is harmless.  Objects without them (or whose .bss
// cannot be mapped) keep their countdowns.
void Controls::restart_sampling() const {
  bpf_object* obj = obj_.get();
  const btf* b = bpf_object__btf(obj);
  bpf_map *map, *bss = nullptr;
  bpf_object__for_each_map(map, obj) {
    std::string name = bpf_map__name(map);
    if (bpf_map__is_internal(map) && name.size() >= 4 &&
        name.compare(name.size() - 4, 4, ".bss") == 0)
      bss = map;
  }
  int sec = b ? btf__find_by_name_kind(b, ".bss", BTF_KIND_DATASEC) : -1;
  if (!bss || sec < 0 || !(bpf_map__map_flags(bss) & BPF_F_MMAPABLE)) return;
  size_t size = bpf_map__value_size(bss);
  long page = sysconf(_SC_PAGESIZE);
  size_t len = (size + page - 1) / page * page;
  void* at = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(bss), 0);
  if (at == MAP_FAILED) return;
  struct Unmap {
    void* at;
    size_t len;
    ~Unmap() { munmap(at, len); }
  } unmap{at, len};
  auto* mem = static_cast<uint8_t*>(at);
  const btf_type* t = btf__type_by_id(b, sec);
  const btf_var_secinfo* vs = btf_var_secinfos(t);
  for (unsigned i = 0; i < btf_vlen(t); i++, vs++) {
    const btf_type* var = btf__type_by_id(b, vs->type);
    if (std::strcmp(btf__name_by_offset(b, var->name_off), "__inxpect_draws") != 0) continue;
    const btf_type* arr = btf__type_by_id(b, var->type);
    if (!btf_is_array(arr)) return;
    const btf_type* elem = btf__type_by_id(b, btf_array(arr)->type);
    __s64 stride = btf__resolve_size(b, btf_array(arr)->type);
    if (!btf_is_struct(elem) || stride <= 0 || vs->offset + vs->size > size) return;
    const btf_member* m = btf_members(elem);
    for (unsigned k = 0; k < btf_vlen(elem); k++, m++) {
      if (std::strcmp(btf__name_by_offset(b, m->name_off), "tick") != 0) continue;
      uint32_t tick = btf_member_bit_offset(elem, k) / 8;
      for (uint32_t off = vs->offset; off + tick + sizeof(uint64_t) <= vs->offset + vs->size;
           off += static_cast<uint32_t>(stride))
        __atomic_store_n(reinterpret_cast<uint64_t*>(mem + off + tick), 0, __ATOMIC_RELAXED);
    }
    return;
  }
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
