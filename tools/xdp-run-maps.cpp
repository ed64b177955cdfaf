#include "xdp-run-maps.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "libinxpect/error.h"
#include "libinxpect/map_fill.h"

namespace inxpect {
namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool inxpect_name(const std::string& name) {
  return starts_with(name, "inxpect_") || starts_with(name, "__inxpect") ||
         name.find(".data.inxpect") != std::string::npos;
}

bool per_cpu(bpf_map_type t) {
  return t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH ||
         t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

// Maps whose values user space can read with a key: what a program keeps.
bool dumpable(bpf_map_type t) {
  switch (t) {
    case BPF_MAP_TYPE_HASH:
    case BPF_MAP_TYPE_ARRAY:
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
    case BPF_MAP_TYPE_LRU_HASH:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH:
    case BPF_MAP_TYPE_LPM_TRIE:
    case BPF_MAP_TYPE_DEVMAP:
    case BPF_MAP_TYPE_DEVMAP_HASH:
    case BPF_MAP_TYPE_CPUMAP: return true;
    default: return false;
  }
}

std::string hex(const uint8_t* p, size_t n) {
  std::string s;
  char b[3];
  for (size_t i = 0; i < n; i++) {
    std::snprintf(b, sizeof(b), "%02x", p[i]);
    s += b;
  }
  return s;
}

bool zero(const uint8_t* p, size_t n) {
  return std::all_of(p, p + n, [](uint8_t b) { return b == 0; });
}

size_t value_stride(const bpf_map* map) {
  return per_cpu(bpf_map__type(map)) ? (bpf_map__value_size(map) + 7) / 8 * 8
                                     : bpf_map__value_size(map);
}

size_t cpus(const bpf_map* map) {
  return per_cpu(bpf_map__type(map)) ? static_cast<size_t>(libbpf_num_possible_cpus()) : 1;
}

// One element's lines: the value, or each non-zero per-CPU value.
void element(const bpf_map* map, const std::string& key, const std::vector<uint8_t>& val,
             bool skip_zero, std::vector<std::string>& out) {
  size_t size = bpf_map__value_size(map), stride = value_stride(map);
  std::string head = std::string("map ") + bpf_map__name(map) + " " + key + " ";
  if (!per_cpu(bpf_map__type(map))) {
    if (!skip_zero || !zero(val.data(), size)) out.push_back(head + hex(val.data(), size));
    return;
  }
  for (size_t c = 0; c < cpus(map); c++)
    if (!zero(val.data() + c * stride, size))
      out.push_back(head + "cpu" + std::to_string(c) + " " + hex(val.data() + c * stride, size));
}

// .bss, .data, .data.*: one line per variable of the section's BTF.
void variables(bpf_object* obj, const bpf_map* map, const std::vector<uint8_t>& val,
               std::vector<std::string>& out) {
  std::string name = bpf_map__name(map);
  std::string sec = name.substr(name.find('.'));
  const btf* btf = bpf_object__btf(obj);
  int id = btf ? btf__find_by_name_kind(btf, sec.c_str(), BTF_KIND_DATASEC) : -1;
  if (id < 0) {
    out.push_back("var " + sec + " - " + hex(val.data(), val.size()));
    return;
  }
  const btf_type* t = btf__type_by_id(btf, id);
  const btf_var_secinfo* vs = btf_var_secinfos(t);
  for (unsigned i = 0; i < btf_vlen(t); i++, vs++) {
    std::string var = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
    if (inxpect_name(var) || vs->offset + vs->size > val.size()) continue;
    out.push_back("var " + sec + " " + var + " " + hex(val.data() + vs->offset, vs->size));
  }
}

void dump_map(bpf_object* obj, const bpf_map* map, std::vector<std::string>& out) {
  int fd = bpf_map__fd(map);
  std::string name = bpf_map__name(map);
  auto type = bpf_map__type(map);
  std::vector<uint8_t> key(bpf_map__key_size(map)), next(key.size());
  std::vector<uint8_t> val(value_stride(map) * cpus(map));
  if (bpf_map__is_internal(map)) {
    uint32_t zero_key = 0;
    if (!bpf_map_lookup_elem(fd, &zero_key, val.data())) variables(obj, map, val, out);
    return;
  }
  if (!dumpable(type)) {
    out.push_back("map " + name + " skipped (type " + libbpf_bpf_map_type_str(type) + ")");
    return;
  }
  if (type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY) {
    for (uint32_t k = 0; k < bpf_map__max_entries(map); k++)
      if (!bpf_map_lookup_elem(fd, &k, val.data()))
        element(map, hex(reinterpret_cast<uint8_t*>(&k), sizeof(k)), val, true, out);
    return;
  }
  for (void* prev = nullptr; !bpf_map_get_next_key(fd, prev, next.data()); prev = key.data()) {
    key = next;
    if (!bpf_map_lookup_elem(fd, key.data(), val.data()))
      element(map, hex(key.data(), key.size()), val, false, out);
  }
}

}  // namespace

void fill_map(bpf_object* obj, const std::string& name, const std::string& file) {
  bpf_map* map = bpf_object__find_map_by_name(obj, name.c_str());
  if (!map) throw Error("no map '" + name + "' in the object", Errc::NotFound);
  std::ifstream in(file);
  if (!in) throw errno_error("open " + file, errno);
  std::stringstream text;
  text << in.rdbuf();
  size_t size = bpf_map__value_size(map), stride = value_stride(map);
  for (const MapEntry& e : parse_map_entries(text.str(), file, bpf_map__key_size(map), size)) {
    std::vector<uint8_t> val(stride * cpus(map));
    for (size_t c = 0; c < cpus(map); c++)
      std::copy(e.second.begin(), e.second.end(), val.begin() + static_cast<long>(c * stride));
    if (bpf_map_update_elem(bpf_map__fd(map), e.first.data(), val.data(), 0))
      throw errno_error("update map " + name + " from " + file, errno);
  }
}

std::vector<std::string> dump_maps(bpf_object* obj) {
  std::vector<std::string> out;
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    std::string name = bpf_map__name(map);
    if (inxpect_name(name) || name.find(".rodata") != std::string::npos ||
        name.find(".kconfig") != std::string::npos || bpf_map__fd(map) < 0)
      continue;
    dump_map(obj, map, out);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace inxpect
