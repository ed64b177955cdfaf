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

// Per-CPU values come back one per possible CPU.
std::vector<inxpect_sec> read_cpus(int fd, uint32_t id) {
  std::vector<inxpect_sec> raw(libbpf_num_possible_cpus());
  if (bpf_map_lookup_elem(fd, &id, raw.data()))
    throw errno_error("cannot read section state", errno);
  return raw;
}

}  // namespace

StateReader::StateReader(const LoadedObject& obj, unsigned nr_events)
    : obj_(obj), nr_events_(nr_events) {}

Snapshot StateReader::snapshot() const {
  Snapshot snap;
  size_t n = obj_.sections().sections().size();
  int ncpu = libbpf_num_possible_cpus();
  snap.total.assign(n, SectionStats{});
  snap.per_cpu.assign(ncpu, std::vector<SectionStats>(n));
  int fd = obj_.state_fd();
  if (fd < 0) return snap;
  for (uint32_t id = 0; id < n; id++) {
    std::vector<inxpect_sec> raw = read_cpus(fd, id);
    for (int cpu = 0; cpu < ncpu; cpu++) {
      snap.per_cpu[cpu][id] = from_raw(raw[cpu], nr_events_);
      snap.total[id].merge(snap.per_cpu[cpu][id], nr_events_);
    }
  }
  return snap;
}

SectionStats StateReader::section(uint32_t id) const {
  SectionStats total;
  int fd = obj_.state_fd();
  if (fd < 0) return total;
  for (const inxpect_sec& raw : read_cpus(fd, id))
    total.merge(from_raw(raw, nr_events_), nr_events_);
  return total;
}

void StateReader::reset() const {
  int fd = obj_.state_fd();
  if (fd < 0) return;
  std::vector<inxpect_sec> zero(libbpf_num_possible_cpus());
  std::memset(zero.data(), 0, zero.size() * sizeof(inxpect_sec));
  for (uint32_t id = 0; id < obj_.sections().sections().size(); id++)
    if (bpf_map_update_elem(fd, &id, zero.data(), BPF_ANY))
      throw errno_error("cannot reset section state", errno);
}

}  // namespace inxpect
