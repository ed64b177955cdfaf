#include "libinxpect/calibration.h"

#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "libinxpect/error.h"
#include "libinxpect/test_run.h"

// The calibration BPF object, embedded at build time (cmake/EmbedFile.cmake).
extern const unsigned char inxpect_calibration_object[];
extern const size_t inxpect_calibration_object_size;

namespace inxpect {
namespace {

constexpr unsigned kBatches = 15;
constexpr uint32_t kRunsPerBatch = 64;  // measured runs, whatever the sampling

// The embedded object as a file that libelf and libbpf can open by path.
class MemFile {
 public:
  MemFile(const unsigned char* data, size_t size) {
    fd_ = memfd_create("inxpect-calibration.o", MFD_CLOEXEC);
    if (fd_ < 0 || write(fd_, data, size) != static_cast<ssize_t>(size))
      throw Error(errno_message("cannot stage the calibration object", errno));
  }
  ~MemFile() { close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_ = -1;
};

// Keeps the thread on its current CPU for a while: the sampling countdowns
// are per CPU, and outer and inner sections stay in step only on one.
class StayOnCpu {
 public:
  StayOnCpu() {
    have_ = sched_getaffinity(0, sizeof(saved_), &saved_) == 0;
    int cpu = sched_getcpu();
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu < 0 ? 0 : cpu, &one);
    if (have_) sched_setaffinity(0, sizeof(one), &one);
  }
  ~StayOnCpu() {
    if (have_) sched_setaffinity(0, sizeof(saved_), &saved_);
  }

 private:
  cpu_set_t saved_;
  bool have_ = false;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Per event, the mean that `section` reported over one batch of `prog`.
std::vector<double> batch_mean(Session& s, const std::string& prog, const std::string& section,
                               const std::vector<Packet>& pkt, uint32_t repeat) {
  s.reset();
  test_run(s.program_fd(prog), pkt, RunOptions{repeat, false});
  SectionStats st = s.snapshot().total[s.sections().find(section)->id];
  if (!st.count) throw Error("calibration measured nothing (" + std::to_string(st.bad) + " failed reads)");
  std::vector<double> m;
  for (size_t e = 0; e < s.events().size(); e++) m.push_back(st.mean(e));
  return m;
}

// The costs of one way of measuring: its programs and sections end in
// `suffix`.
CalibrationCost measure(Session& s, const std::string& suffix, const std::vector<Packet>& pkt, uint32_t repeat) {
  size_t nev = s.events().size();
  std::vector<std::vector<double>> empty(nev), outer(nev);
  for (unsigned b = 0; b < kBatches; b++) {
    std::vector<double> e1 = batch_mean(s, "inxpect_calib_empty" + suffix, "calib_empty" + suffix, pkt, repeat);
    std::vector<double> e2 = batch_mean(s, "inxpect_calib_nested" + suffix, "calib_outer" + suffix, pkt, repeat);
    for (size_t e = 0; e < nev; e++) {
      empty[e].push_back(e1[e]);
      outer[e].push_back(e2[e]);
    }
  }
  CalibrationCost c;
  for (size_t e = 0; e < nev; e++) {
    c.fixed[e] = median(empty[e]);
    c.nested[e] = std::max(0.0, median(outer[e]) - c.fixed[e]);
  }
  return c;
}

}  // namespace

Calibration calibrate(const LoadOptions& opts) {
  MemFile obj(inxpect_calibration_object, inxpect_calibration_object_size);
  LoadOptions o;
  o.events = opts.events;
  o.sample_rate = opts.sample_rate;
  Session s(obj.path(), o);
  std::vector<Packet> pkt = generate_packets("udp4,count=1");
  uint32_t repeat = kRunsPerBatch * std::max<uint32_t>(1, opts.sample_rate);
  StayOnCpu pin;
  Calibration c;
  c.inlined = measure(s, "", pkt, repeat);
  c.out_of_line = measure(s, "_call", pkt, repeat);
  return c;
}

}  // namespace inxpect
