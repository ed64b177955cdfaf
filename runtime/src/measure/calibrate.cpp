#include "libinxpect/calibrate.h"

#include <sched.h>

#include <algorithm>
#include <string>
#include <vector>

#include "inxpect/abi.h"  // the skeleton names inxpect.h's types
#include "inxpect_calibration.skel.h"
#include "libinxpect/controls.h"
#include "libinxpect/counters.h"
#include "libinxpect/error.h"
#include "libinxpect/loader.h"
#include "libinxpect/packets.h"
#include "libinxpect/state.h"
#include "libinxpect/test_run.h"

namespace inxpect {
namespace {

constexpr unsigned kBatches = 21;
constexpr uint32_t kRunsPerBatch = 64;  // measured runs, whatever the sampling
// Rates beyond this are calibrated at it: what a measurement costs does not
// depend on the rate, and 64 runs per measured one would not fit a test run.
constexpr uint32_t kMaxCalibrationRate = 4096;

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
  StayOnCpu(const StayOnCpu&) = delete;
  StayOnCpu& operator=(const StayOnCpu&) = delete;

 private:
  cpu_set_t saved_;
  bool have_ = false;
};

// The q-quantile of v, interpolated.
double quantile_of(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  double at = q * static_cast<double>(v.size() - 1);
  size_t i = static_cast<size_t>(at);
  return i + 1 < v.size() ? v[i] + (at - static_cast<double>(i)) * (v[i + 1] - v[i]) : v[i];
}

// Half the interquartile range: how far a batch usually is from the median.
double spread(const std::vector<double>& v) {
  return (quantile_of(v, 0.75) - quantile_of(v, 0.25)) / 2;
}

// The calibration object, loaded for one set of counters.
class CalibrationRun {
 public:
  CalibrationRun(const Counters& counters, const ProbeConfig& probe, uint32_t sample_rate)
      : skel_(inxpect_calibration::open()),
        obj_(load(probe)),
        controls_(obj_, ControlOptions{std::min(std::max<uint32_t>(1, sample_rate),
                                                kMaxCalibrationRate)}),
        state_(obj_, static_cast<unsigned>(counters.events().size())),
        nev_(counters.events().size()),
        repeat_(kRunsPerBatch * controls_.sample_rate()) {
    counters.install(obj_);
  }

  // The costs of one way of measuring, given its two programs and the
  // sections they report.
  CalibrationCost measure(bpf_program* empty, const char* empty_section, bpf_program* nested,
                          const char* outer_section) {
    std::vector<std::vector<double>> e1(nev_), e2(nev_);
    for (unsigned b = 0; b < kBatches; b++) {
      std::vector<double> a = batch_mean(empty, empty_section),
                          c = batch_mean(nested, outer_section);
      for (size_t e = 0; e < nev_; e++) {
        e1[e].push_back(a[e]);
        e2[e].push_back(c[e]);
      }
    }
    CalibrationCost cost;
    for (size_t e = 0; e < nev_; e++) {
      cost.fixed[e] = quantile_of(e1[e], 0.5);
      cost.nested[e] = std::max(0.0, quantile_of(e2[e], 0.5) - cost.fixed[e]);
      cost.spread[e] = std::max(spread(e1[e]), spread(e2[e]));
    }
    return cost;
  }

  inxpect_calibration* skel() const { return skel_; }

 private:
  LoadedObject load(const ProbeConfig& probe) {
    if (!skel_) throw errno_error("cannot open the calibration object", errno);
    ObjectPtr obj = adopt_skeleton(skel_);
    size_t size = 0;
    const void* elf = inxpect_calibration::elf_bytes(&size);
    return LoadedObject::load(std::move(obj), std::string_view(static_cast<const char*>(elf), size),
                              "the calibration object", probe);
  }

  // Per event, the mean that `section` reported over one batch of `prog`.
  std::vector<double> batch_mean(bpf_program* prog, const char* section) {
    state_.reset();
    test_run(bpf_program__fd(prog), packet_, RunOptions{repeat_, false});
    SectionStats st = section_total(state_.snapshot(), *obj_.sections().find(section),
                                    static_cast<unsigned>(nev_));
    if (!st.count)
      throw Error("calibration measured nothing (" + std::to_string(st.bad) + " failed reads)",
                  Errc::Unsupported);
    std::vector<double> m;
    m.reserve(nev_);
    for (size_t e = 0; e < nev_; e++) m.push_back(st.mean(static_cast<unsigned>(e)));
    return m;
  }

  inxpect_calibration* skel_;  // owned by obj_ once loaded
  LoadedObject obj_;
  Controls controls_;
  StateReader state_;
  size_t nev_;
  uint32_t repeat_;
  std::vector<Packet> packet_ = generate_packets("udp4,count=1");
};

}  // namespace

Calibration calibrate(const Counters& counters, const ProbeConfig& probe, uint32_t sample_rate,
                      bool bare_copies) {
  CalibrationRun b(counters, probe, sample_rate);
  StayOnCpu pin;
  Calibration c;
  inxpect_calibration* s = b.skel();
  c.instrumented = bare_copies ? b.measure(s->progs.inxpect_calib_bare_empty, "calib_bare_empty",
                                           s->progs.inxpect_calib_bare_nested, "calib_bare_outer")
                               : b.measure(s->progs.inxpect_calib_empty, "calib_empty",
                                           s->progs.inxpect_calib_nested, "calib_outer");
  c.hand = b.measure(s->progs.inxpect_calib_hand_empty, "calib_hand_empty",
                     s->progs.inxpect_calib_hand_nested, "calib_hand_outer");
  return c;
}

}  // namespace inxpect
