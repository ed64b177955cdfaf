#include "countdowns.h"

#include <bpf/bpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "libinxpect/site_records.h"

namespace inxpect {

namespace {

// The byte offset of member `name` of struct `st`, or -1.
int member_offset(const btf* b, const btf_type* st, const char* name) {
  const btf_member* m = btf_members(st);
  for (unsigned k = 0; k < btf_vlen(st); k++, m++)
    if (std::strcmp(btf__name_by_offset(b, m->name_off), name) == 0)
      return static_cast<int>(btf_member_bit_offset(st, k) / 8);
  return -1;
}

// Zeroes each tick of __inxpect_draws in `mem`, the value of a .bss map
// laid out as BTF datasec `sec` of `b`.
void zero_ticks(uint8_t* mem, size_t size, const btf* b, int sec) {
  const btf_type* t = btf__type_by_id(b, sec);
  if (!t || !btf_is_datasec(t)) return;
  const btf_var_secinfo* vs = btf_var_secinfos(t);
  for (unsigned i = 0; i < btf_vlen(t); i++, vs++) {
    const btf_type* var = btf__type_by_id(b, vs->type);
    if (std::strcmp(btf__name_by_offset(b, var->name_off), "__inxpect_draws") != 0) continue;
    const btf_type* arr = btf__type_by_id(b, var->type);
    if (!btf_is_array(arr)) return;
    const btf_type* elem = btf__type_by_id(b, btf_array(arr)->type);
    __s64 stride = btf__resolve_size(b, btf_array(arr)->type);
    if (!btf_is_struct(elem) || stride <= 0 || vs->offset + vs->size > size) return;
    int at = member_offset(b, elem, "tick");
    if (at < 0) return;
    uint32_t tick = static_cast<uint32_t>(at);
    for (uint32_t off = vs->offset; off + tick + sizeof(uint64_t) <= vs->offset + vs->size;
         off += static_cast<uint32_t>(stride))
      __atomic_store_n(reinterpret_cast<uint64_t*>(mem + off + tick), 0, __ATOMIC_RELAXED);
    return;
  }
}

// Whether every variable of the datasec is inxpect.h's own.
bool only_inxpect(const btf* b, int sec) {
  for (const BtfVar& v : datasec_vars(b, sec))
    if (v.name.rfind("__inxpect_", 0) != 0) return false;
  return true;
}

}  // namespace

bool one_word_draws(const btf* b) {
  int id = btf__find_by_name_kind(b, "__inxpect_draw", BTF_KIND_STRUCT);
  return id >= 0 && member_offset(b, btf__type_by_id(b, id), "on") < 0;
}

void zero_countdowns(int fd, size_t size, const btf* b, int sec) {
  if (fd < 0 || !b || sec <= 0) return;
  long page = sysconf(_SC_PAGESIZE);
  size_t len = (size + page - 1) / page * page;
  void* at = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (at == MAP_FAILED) return;
  zero_ticks(static_cast<uint8_t*>(at), size, b, sec);
  munmap(at, len);
}

void zero_countdowns(int fd) {
  if (fd < 0) return;
  bpf_map_info mi{};
  uint32_t len = sizeof(mi);
  if (bpf_obj_get_info_by_fd(fd, &mi, &len) || !mi.btf_id || mi.max_entries != 1) return;
  BtfPtr b(btf__load_from_kernel_by_id(mi.btf_id));
  int sec = static_cast<int>(mi.btf_value_type_id);
  const btf_type* t = b ? btf__type_by_id(b.get(), sec) : nullptr;
  if (!t || !btf_is_datasec(t)) return;
  if (mi.map_flags & BPF_F_MMAPABLE) return zero_countdowns(fd, mi.value_size, b.get(), sec);
  // Loaders that do not map .bss (ip's) leave it a plain array, written
  // whole: read, change, write back, which would put back a stale value
  // of any variable of the program's own that a run wrote meanwhile.  So
  // only a .bss that holds nothing but inxpect.h's is written this way.
  if (!only_inxpect(b.get(), sec)) return;
  std::vector<uint8_t> value(mi.value_size);
  uint32_t key = 0;
  if (bpf_map_lookup_elem(fd, &key, value.data())) return;
  zero_ticks(value.data(), value.size(), b.get(), sec);
  bpf_map_update_elem(fd, &key, value.data(), BPF_ANY);
}

}  // namespace inxpect
