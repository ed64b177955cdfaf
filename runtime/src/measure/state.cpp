#include "libinxpect/state.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "inxpect/abi.h"
#include "libinxpect/error.h"
#include "libinxpect/loader.h"

namespace inxpect {
namespace {

// Elements read into one buffer.
constexpr uint32_t kBatch = 64;

}  // namespace

StateReader::StateReader(const LoadedObject& obj, unsigned nr_events)
    : StateReader(obj.state_fd(), obj.path(), nr_events) {}

StateReader::StateReader(int fd, const std::string& origin, unsigned nr_events)
    : fd_(fd), origin_(origin), nr_events_(nr_events) {
  if (fd < 0) return;
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len))
    throw errno_error("cannot read the InXpect state map's description", errno);
  // Every size that comes from the object is checked before it sizes a
  // buffer the kernel writes into.
  if (info.type != BPF_MAP_TYPE_PERCPU_ARRAY || info.key_size != sizeof(uint32_t) ||
      info.value_size != sizeof(inxpect_node) || info.max_entries < 2 ||
      (info.max_entries & (info.max_entries - 1)))
    throw Error(origin_ + " is not compatible with this inxpect: its inxpect_state map is " +
                    std::to_string(info.max_entries) + " x " + std::to_string(info.value_size) +
                    " bytes (type " + std::to_string(info.type) +
                    "), expected a per-CPU array "
                    "of a power of two of " +
                    std::to_string(sizeof(inxpect_node)) +
                    "-byte elements: rebuild it with this inxpect.h",
                Errc::BadInput);
  elements_ = info.max_entries;
}

Snapshot StateReader::snapshot() const {
  Snapshot snap;
  int fd = fd_;
  if (fd < 0) return snap;
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) throw errno_error("cannot count the possible CPUs", -ncpu);
  snap.per_cpu.resize(ncpu);
  std::vector<inxpect_node> raw(static_cast<size_t>(ncpu) * kBatch);
  std::vector<uint32_t> keys(kBatch);
  for (uint32_t first = 0; first < elements_; first += kBatch) {
    uint32_t n = std::min(kBatch, elements_ - first);
    // Per-CPU values come back one per possible CPU, element after element.
    for (uint32_t i = 0; i < n; i++) {
      uint32_t key = first + i;
      if (bpf_map_lookup_elem(fd, &key, &raw[static_cast<size_t>(i) * ncpu]))
        throw errno_error("cannot read the InXpect state", errno);
    }
    for (uint32_t i = 0; i < n; i++)
      for (int cpu = 0; cpu < ncpu; cpu++) {
        const inxpect_node& node = raw[static_cast<size_t>(i) * ncpu + cpu];
        if (first + i == 0) {
          inxpect_hdr h;
          std::memcpy(&h, &node, sizeof(h));
          snap.health.overflow += h.overflow;
          snap.health.lost += h.lost;
          snap.health.unmatched += h.unmatched;
          continue;
        }
        if (!node.key) continue;
        PathStats p = from_node(node, nr_events_);
        merge_path(snap.per_cpu[cpu], p, nr_events_);
        merge_path(snap.paths, p, nr_events_);
      }
  }
  return snap;
}

void StateReader::reset() const {
  int fd = fd_;
  if (fd < 0) return;
  std::vector<inxpect_node> zero(libbpf_num_possible_cpus());
  std::memset(zero.data(), 0, zero.size() * sizeof(inxpect_node));
  for (uint32_t key = 0; key < elements_; key++)
    if (bpf_map_update_elem(fd, &key, zero.data(), BPF_ANY))
      throw errno_error("cannot reset the InXpect state", errno);
}

}  // namespace inxpect
