#include "fprof.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fprof_bpf.skel.h"
#include "libinxpect/error.h"

namespace inxpect::bench {
namespace {

int perf_open(uint32_t type, uint64_t config, int cpu) {
  perf_event_attr a;
  std::memset(&a, 0, sizeof(a));
  a.size = sizeof(a);
  a.type = type;
  a.config = config;
  a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  return static_cast<int>(syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC));
}

// The skeleton opened and configured for `target_fd`, handed to the loader.
LoadedObject load(fprof_bpf* skel, int target_fd, const std::string& func, Fprof::Clock clock) {
  if (!skel) throw errno_error("cannot open the comparison profiler", errno);
  ObjectPtr obj = adopt_skeleton(skel);
  skel->rodata->use_tsc = clock == Fprof::Clock::Tsc;
  bpf_map__set_max_entries(skel->maps.events, static_cast<uint32_t>(libbpf_num_possible_cpus()));
  for (bpf_program* prog : {skel->progs.fentry_prog, skel->progs.fexit_prog})
    if (int rc = bpf_program__set_attach_target(prog, target_fd, func.c_str()))
      throw errno_error("attach target " + func, rc);
  size_t size = 0;
  const void* elf = fprof_bpf::elf_bytes(&size);
  return LoadedObject::load(std::move(obj), std::string_view(static_cast<const char*>(elf), size),
                            "the fentry/fexit profiler", ProbeConfig{});
}

// Sums word `w` of a one-entry per-CPU array of `words` u64s.
uint64_t percpu_sum(bpf_map* map, size_t words, size_t w) {
  int ncpu = libbpf_num_possible_cpus();
  std::vector<uint64_t> v(static_cast<size_t>(ncpu) * words);
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(bpf_map__fd(map), &zero, v.data()))
    throw errno_error(std::string("reading ") + bpf_map__name(map), errno);
  uint64_t sum = 0;
  for (int c = 0; c < ncpu; c++) sum += v[c * words + w];
  return sum;
}

}  // namespace

Fprof::Fprof(int target_fd, const std::string& func, Clock clock)
    : skel_(fprof_bpf::open()), obj_(load(skel_, target_fd, func, clock)) {
  if (clock == Clock::Perf) open_events();
  if (int rc = fprof_bpf::attach(skel_)) throw errno_error("cannot attach fentry/fexit", rc);
}

// One counting event per CPU; offline CPUs get none (their slot stays empty).
void Fprof::open_events() {
  int map = bpf_map__fd(skel_->maps.events);
  for (int c = 0; c < libbpf_num_possible_cpus(); c++) {
    event_ = "instructions";
    Fd fd(perf_open(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, c));
    if (!fd && errno != ENODEV) {
      event_ = "cpu-clock";
      fd.reset(perf_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, c));
    }
    if (!fd && errno == ENODEV) continue;
    if (!fd) throw errno_error("perf_event_open on CPU " + std::to_string(c), errno);
    int value = fd.get();
    if (bpf_map_update_elem(map, &c, &value, BPF_ANY))
      throw errno_error("events[" + std::to_string(c) + "]", errno);
    perf_fds_.push_back(std::move(fd));
  }
}

std::pair<uint64_t, uint64_t> Fprof::read() const {
  size_t words = sizeof(bpf_perf_event_value) / sizeof(uint64_t);
  return {percpu_sum(skel_->maps.counts, 1, 0), percpu_sum(skel_->maps.accum_readings, words, 0)};
}

}  // namespace inxpect::bench
