// inxpect-bench: what each profiler costs an example per packet, and what
// it reports for the example's outermost section, side by side in one run.
//
// Every configuration of an app is loaded once, each into its own program
// instance; then each round runs all of them over the same packets with
// BPF_PROG_TEST_RUN, in an order rotated every round, so drift in the
// machine hits them alike.  The figure of a configuration is the median
// of its rounds.  A configuration this kernel refuses is kept, with the
// reason, so the report shows it instead of leaving a gap.
//
// Output: one JSON object a line, prefixed "INXPECT-BENCH ", read by
// bench/report.py (and the VM lab's log); progress goes to stderr.
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "apps.h"
#include "fprof.h"
#include "libinxpect/calibration.h"
#include "libinxpect/error.h"
#include "libinxpect/events.h"
#include "libinxpect/fd.h"
#include "libinxpect/json_writer.h"
#include "libinxpect/probe.h"
#include "libinxpect/report.h"
#include "libinxpect/session.h"
#include "libinxpect/test_run.h"

using namespace inxpect;
using inxpect::bench::App;
using inxpect::bench::Fprof;

namespace {

struct Options {
  std::string method = "host";  // host: ns per packet; icount: guest instructions per packet
  std::vector<std::string> apps;
  unsigned rounds = 0, packets = 0, repeat = 0;
  std::string examples = INXPECT_EXAMPLES_DIR, objs = INXPECT_BENCH_DIR;
  std::string big;  // bench/bigprog.py's output: the balancer is measured too
  // Sampled configurations: program runs after the timed rounds, untimed,
  // so that what they report rests on about this many measured
  // executions per rate (0: none; the icount guest's accuracy rows).
  unsigned accuracy_runs = 0;
};

// One profiler configuration of one app.
struct Config {
  std::string key, label;
  std::unique_ptr<Session> session;
  std::unique_ptr<Fprof> fp;
  bool stats = false;  // the kernel's bpf_stats, on only during this slot
  int fd = -1;
  int section = -1;                // InXpect: the outermost section's id
  uint32_t rate = 1;               // InXpect: its sampling rate
  std::optional<Calibration> cal;  // InXpect: the runtime's own, as inxpect run's
  std::string reason;              // why it could not run
  Errc code = Errc::Failed;
  std::vector<double> per_packet;
};

// One output line: "INXPECT-BENCH " and the JSON object `fill` writes the
// members of.
template <class F>
void emit(F fill) {
  std::ostringstream line;
  JsonWriter w(line);
  w.begin_object();
  fill(w);
  w.end_object();
  std::printf("INXPECT-BENCH %s\n", line.str().c_str());
  std::fflush(stdout);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// Why fentry/fexit are refused here, when the kernel says so.
std::string lockdown_note() {
  std::ifstream f("/sys/kernel/security/lockdown");
  std::string l;
  std::getline(f, l);
  return l.find("[none]") == std::string::npos && !l.empty() ? " (kernel lockdown: " + l + ")" : "";
}

class Bench {
 public:
  Bench(const Options& o, const App& app) : o_(o), app_(app) {}

  // hist, paths: the histograms and call paths, switched at load time.
  void add_inxpect(const std::string& key, const std::string& label, const std::string& events,
                   Backend b, uint32_t rate, bool hist = true, bool paths = true) {
    Config& c = add(key, label);
    try {
      LoadOptions lo = base();
      if (b == Backend::Kmod && !kmod_available())
        throw Error("no inxpect module: " + kmod_unavailable_reason(), Errc::Unsupported);
      lo.events = resolve_events(events, b, kmod_available());
      lo.sample_rate = rate;
      lo.histograms = hist;
      lo.paths = paths;
      c.session = std::make_unique<Session>(app_.instr, lo);
      c.fd = c.session->program_fd(app_.program);
      c.rate = rate;
      for (const Section& s : c.session->sections().sections())
        if (s.parent < 0 && c.section < 0) c.section = static_cast<int>(s.id);
      if (c.section < 0) throw Error("no outermost section in " + app_.instr);
    } catch (const Error& e) {
      return fail(c, e);
    }
    // Calibration as `inxpect run` does it, with the same counters; without
    // it the raw figures are still reported.
    try {
      c.cal = c.session->calibrate();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "inxpect-bench: %s %s: no calibration: %s\n", app_.name.c_str(),
                   c.key.c_str(), first_line(e.what()).c_str());
    }
  }

  // The bare build (no profiler), the empty program (which has no maps to
  // fill), or the bare build under a whole-program profiler.
  Config& add_plain(const std::string& key, const std::string& label, const std::string& file,
                    const std::string& program, bool fill = true) {
    Config& c = add(key, label);
    try {
      c.session = std::make_unique<Session>(file, fill ? base() : LoadOptions{});
      c.fd = c.session->program_fd(program);
    } catch (const Error& e) {
      fail(c, e);
    }
    return c;
  }

  void add_fprof(const std::string& key, const std::string& label, Fprof::Clock clock) {
    Config& c = add_plain(key, label, app_.bare, app_.program);
    if (c.fd < 0) return;
    try {
      // fentry attaches by the program's own name, where the app names none.
      std::string name;
      c.session->program_fd(app_.program, &name);
      c.fp = std::make_unique<Fprof>(c.fd, name, clock);
    } catch (const Error& e) {
      fail(c, Error(e.what() + lockdown_note(), e.code(), e.sys_errno()));
    }
  }

  // The configuration without a profiler could not run: nothing can.
  const Config* baseline_failure() const {
    const Config& none = *configs_.front();
    return none.reason.empty() ? nullptr : &none;
  }

  // The calibration `key`'s configuration uses, repeated `n` times the
  // way `inxpect run` does it once: how far apart runs of it land.
  void calibration_repeats(const std::string& key, unsigned n) {
    auto it = std::find_if(configs_.begin(), configs_.end(),
                           [&](const auto& c) { return c->key == key; });
    if (it == configs_.end() || !(*it)->reason.empty()) return;
    const Config& c = **it;
    std::vector<double> fixed, nested;
    try {
      for (unsigned i = 0; i < n; i++) {
        Calibration cal = c.session->calibrate();
        fixed.push_back(cal.instrumented.fixed[0]);
        nested.push_back(cal.instrumented.nested[0]);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "inxpect-bench: %s %s: calibration: %s\n", app_.name.c_str(),
                   key.c_str(), first_line(e.what()).c_str());
      return;
    }
    emit([&](JsonWriter& j) {
      j.field("kind", "calibration").field("app", app_.name).field("config", c.key);
      j.field("label", c.label).key("fixed").begin_array();
      for (double v : fixed) j.value(v);
      j.end_array().key("nested").begin_array();
      for (double v : nested) j.value(v);
      j.end_array();
    });
  }

  void run() {
    const std::vector<Packet>& packets = app_.packets;
    // Repeats happen in the kernel when the app allows it (the kernel then
    // swaps the XDP dispatcher around each call, milliseconds of wall time
    // outside the measured duration), else as passes from here.
    RunOptions ro;
    ro.repeat = app_.repeat_ok ? o_.repeat : 1;
    passes_ = app_.repeat_ok ? 1 : o_.repeat;
    std::vector<Config*> live;
    for (auto& c : configs_)
      if (c->reason.empty()) live.push_back(c.get());
    // One untimed pass first: connection tables filled, code and data warm.
    for (Config* c : live) once(*c, packets, ro);
    for (Config* c : live) reset(*c);
    for (unsigned r = 0; r < o_.rounds; r++) {
      std::fprintf(stderr, "inxpect-bench: %s round %u/%u\n", app_.name.c_str(), r + 1, o_.rounds);
      for (size_t k = 0; k < live.size(); k++) {
        Config& c = *live[(k + r) % live.size()];
        c.per_packet.push_back(once(c, packets, ro));
      }
    }
    runs_ = static_cast<double>(o_.rounds) * packets.size() * ro.repeat * passes_;
    for (Config* c : live) accuracy_passes(*c, packets);
    for (auto& c : configs_) report(*c, ro.repeat);
  }

 private:
  Config& add(const std::string& key, const std::string& label) {
    configs_.push_back(std::make_unique<Config>());
    configs_.back()->key = key;
    configs_.back()->label = label;
    return *configs_.back();
  }

  void fail(Config& c, const Error& why) {
    c.reason = first_line(why.what());
    c.code = why.code();
    std::fprintf(stderr, "inxpect-bench: %s %s: %s\n", app_.name.c_str(), c.key.c_str(),
                 c.reason.c_str());
  }

  LoadOptions base() const {
    LoadOptions lo;
    lo.map_fills = app_.fills;
    return lo;
  }

  // Runs the packets through c's program; per-packet cost (ns, which in
  // the icount guest are instructions).  bpf_stats is a global switch, so
  // it is turned on only around its own configuration's runs; the fd
  // returned by BPF_ENABLE_STATS turns it off again when closed (even if
  // this process dies), which restores kernel.bpf_stats_enabled.
  double once(Config& c, const std::vector<Packet>& packets, const RunOptions& ro) {
    Fd stats;
    if (c.stats) {
      stats.reset(bpf_enable_stats(BPF_STATS_RUN_TIME));
      if (!stats) throw errno_error("BPF_ENABLE_STATS", errno);
    }
    double ns = 0;
    for (unsigned p = 0; p < passes_; p++) ns += test_run(c.fd, packets, ro).ns_per_run;
    return ns / passes_;
  }

  // A sampled configuration measures 1 run in `rate`: the timed rounds
  // leave it a few executions at 1/256, too few to tell a bias from
  // sampling noise.  More passes over the same packets, in the same order
  // and untimed, give what it reports about accuracy_runs executions; what
  // it costs stays the rounds' median.  Not for the periodic traffic,
  // whose rounds are its test.
  void accuracy_passes(Config& c, const std::vector<Packet>& packets) {
    if (c.rate <= 1 || !o_.accuracy_runs || packets.empty() || app_.kind == App::Kind::Periodic)
      return;
    double want = static_cast<double>(o_.accuracy_runs) * c.rate - runs_;
    for (double done = 0; done < want; done += static_cast<double>(packets.size()))
      test_run(c.fd, packets, RunOptions{});
  }

  // Counts start after the warm-up pass.
  void reset(Config& c) {
    if (c.section >= 0) c.session->reset();
    if (c.stats) stats_base_ = prog_stats(c.fd);
    if (c.fp) fp_base_[c.key] = c.fp->read();
  }

  std::pair<uint64_t, uint64_t> prog_stats(int fd) {
    bpf_prog_info info{};
    uint32_t len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len)) throw errno_error("prog info", errno);
    return {info.run_cnt, info.run_time_ns};
  }

  // The JSON line of one configuration: its median per-packet cost and
  // what it reports for the outermost section (or the whole program).
  void report(const Config& c, unsigned repeat) {
    emit([&](JsonWriter& j) {
      j.field("kind", "result")
          .field("app", app_.name)
          .field("config", c.key)
          .field("label", c.label);
      j.field("repeat", repeat);
      if (!c.reason.empty()) {
        j.field("ok", false).field("reason", c.reason).field("code", errc_name(c.code));
        return;
      }
      j.field("ok", true).field("per_packet", median(c.per_packet)).key("rounds").begin_array();
      for (double v : c.per_packet) j.value(v);
      j.end_array();
      uint64_t n = 0, sum = 0;
      std::string unit;
      if (c.section >= 0) {
        Snapshot snap = c.session->snapshot();
        const Section& sec = c.session->sections().sections().at(c.section);
        SectionStats s = section_total(snap, sec, 1);
        n = s.count, sum = s.ev[0].sum, unit = c.session->events()[0].name;
        // Executions of every section per program run: what a per-execution
        // cost (a histogram update) is divided by.
        uint64_t all = 0;
        for (const Section& x : c.session->sections().sections())
          all += section_total(snap, x, 1).count;
        j.field("executions_per_run", static_cast<double>(all) / runs_);
        if (c.cal && n)
          j.field("calibrated",
                  section_figures(c.session->sections(), snap, sec.id, &*c.cal, 1)[0].mean);
      } else if (c.stats) {
        auto [runs, ns] = prog_stats(c.fd);
        n = runs - stats_base_.first, sum = ns - stats_base_.second, unit = "ns";
      } else if (c.fp) {
        auto [runs, s] = c.fp->read();
        n = runs - fp_base_[c.key].first, sum = s - fp_base_[c.key].second, unit = c.fp->event();
      }
      if (n)
        j.field("reported", static_cast<double>(sum) / n).field("measured", n).field("unit", unit);
    });
  }

  const Options& o_;
  const App& app_;
  std::vector<std::unique_ptr<Config>> configs_;
  unsigned passes_ = 1;
  double runs_ = 1;  // program runs measured, over all rounds
  std::pair<uint64_t, uint64_t> stats_base_{};
  std::map<std::string, std::pair<uint64_t, uint64_t>> fp_base_;
};

void bench_app(const Options& o, const App& app) {
  using Kind = App::Kind;
  Bench b(o, app);
  b.add_plain("none", "no profiler", app.bare, app.program);
  if (const Config* none = b.baseline_failure(); none && none->code == Errc::NoPermission)
    throw Error("the program without a profiler cannot run: " + none->reason, none->code);
  // Sampling with the strongest backend this machine has.
  bool kmod = kmod_available();
  std::string strong = kmod ? "kmod TSC" : "ktime";
  auto sampled = [&](uint32_t n) {
    b.add_inxpect("ix-s" + std::to_string(n),
                  "InXpect " + strong + ", sampled 1/" + std::to_string(n), kmod ? "tsc" : "ktime",
                  kmod ? Backend::Kmod : Backend::Ktime, n);
  };
  if (app.kind == Kind::Periodic) {
    // Every packet against 1/64, the traffic's own period.
    b.add_inxpect(kmod ? "ix-kmod" : "ix-ktime", "InXpect " + strong + ", every packet",
                  kmod ? "tsc" : "ktime", kmod ? Backend::Kmod : Backend::Ktime, 1);
    sampled(64);
    return b.run();
  }
  if (app.kind == Kind::Example) {
    b.add_plain("empty", "empty program (reference)", o.objs + "/empty.bpf.o", "xdp_empty", false);
    b.add_plain("ktime-ref", "two bpf_ktime_get_ns around the bare body (reference)", app.ktime_ref,
                "xdp_ref");
  }
  b.add_inxpect("ix-kmod", "InXpect kmod TSC, every packet", "tsc", Backend::Kmod, 1);
  // What histograms, then call paths, cost: switched off at load time.
  // Both off is the lean probe (abi.h).
  if (app.kind == Kind::Example)
    b.add_inxpect("ix-nohist", "InXpect kmod TSC, every packet, no histograms", "tsc",
                  Backend::Kmod, 1, false, true);
  b.add_inxpect("ix-lean", "InXpect kmod TSC, every packet, lean probe (no histograms, no paths)",
                "tsc", Backend::Kmod, 1, false, false);
  b.add_inxpect("ix-ktime", "InXpect ktime, every packet", "ktime", Backend::Ktime, 1);
  if (app.kind == Kind::Example)
    b.add_inxpect("ix-perf", "InXpect perf helper, every packet",
                  has_hardware_pmu() ? "instructions" : "cpu-clock", Backend::Perf, 1);
  for (uint32_t n : {16u, 64u, 256u}) sampled(n);
  if (app.kind == Kind::Example) {
    b.add_fprof("fentry-perf", "fentry/fexit, perf_event_read_value", Fprof::Clock::Perf);
    b.add_fprof("fentry-tsc", "fentry/fexit, TSC kfunc", Fprof::Clock::Tsc);
    b.add_plain("bpf-stats", "bpf_stats_enabled", app.bare, app.program).stats = true;
  }
  b.run();
  // The calibration's repeatability, on the app with the most nesting.
  if (app.name == "cms")
    for (const char* key : {"ix-kmod", "ix-ktime"}) b.calibration_repeats(key, 6);
}

void usage() {
  std::cout
      << "usage: inxpect-bench [--method host|icount] [--apps drop,router,cms,nat,tunnel,...]\n"
         "                     [--rounds R] [--packets P] [--repeat N] [--examples DIR] [--objs "
         "DIR]\n"
         "                     [--big DIR]\n"
         "Per-packet cost of every profiler configuration and what each reports, as JSON lines\n"
         "(INXPECT-BENCH ...) for bench/report.py.  Each round runs P packets N times through "
         "every\n"
         "configuration.  host: ns per packet (P 64, N 200, 11 rounds); icount: in the QEMU "
         "icount\n"
         "guest, N is 1, so ns are instructions (P 256, 5 rounds); there Router also runs\n"
         "under periodic traffic (router-periodic).  --big: also the balancer that\n"
         "bench/bigprog.py prepared in DIR (balancer).  See docs/evaluation.md.\n";
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  for (std::string x; std::getline(ss, x, ',');) v.push_back(x);
  return v;
}

int run(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw Error(a + " needs an argument", Errc::Usage);
      return argv[++i];
    };
    if (a == "--method")
      o.method = next();
    else if (a == "--apps")
      o.apps = split(next());
    else if (a == "--rounds")
      o.rounds = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--packets")
      o.packets = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--repeat")
      o.repeat = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--examples")
      o.examples = next();
    else if (a == "--objs")
      o.objs = next();
    else if (a == "--big")
      o.big = next();
    else if (a == "--help")
      return usage(), 0;
    else
      throw Error("unknown option '" + a + "'", Errc::Usage);
  }
  if (o.method != "host" && o.method != "icount")
    throw Error("--method is host or icount", Errc::Usage);
  bool icount = o.method == "icount";
  // icount: one run per test-run call, so the kernel's duration is the
  // instructions of exactly that run (see docs/kmod.md).
  if (icount) o.repeat = 1;
  if (!o.repeat) o.repeat = 200;
  if (!o.rounds) o.rounds = icount ? 5 : 11;
  if (!o.packets) o.packets = icount ? 256 : 64;
  if (icount) o.accuracy_runs = 1000;
  if (o.apps.empty()) {
    o.apps.assign(std::begin(bench::kExamples), std::end(bench::kExamples));
    // The aliasing test needs exact counts: the icount guest only.
    if (icount) o.apps.push_back("router-periodic");
    if (!o.big.empty()) o.apps.push_back("balancer");
  }

  // Everything on CPU 0: per-CPU state and counters stay on one CPU.
  cpu_set_t cpu0;
  CPU_ZERO(&cpu0);
  CPU_SET(0, &cpu0);
  sched_setaffinity(0, sizeof(cpu0), &cpu0);

  // Left on by someone else, bpf_stats would be paid by every configuration.
  std::ifstream stats_sysctl("/proc/sys/kernel/bpf_stats_enabled");
  std::string stats_on;
  std::getline(stats_sysctl, stats_on);
  utsname u{};
  uname(&u);
  emit([&](JsonWriter& j) {
    j.field("kind", "env")
        .field("method", o.method)
        .field("kernel", u.release)
        .field("machine", u.machine);
    j.field("cpus", sysconf(_SC_NPROCESSORS_ONLN))
        .field("packets", o.packets)
        .field("repeat", o.repeat);
    j.field("rounds", o.rounds)
        .field("pmu", has_hardware_pmu())
        .field("bpf_stats_already_on", stats_on == "1");
    j.field("kmod", kmod_available() ? "available" : kmod_unavailable_reason());
  });
  for (const std::string& name : o.apps)
    bench_app(o, name == "balancer" ? bench::big_app(o.big, o.packets)
                                    : bench::example_app(name, o.examples, o.objs, o.packets));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const Error& e) {
    // EX_NOPERM (77) when this machine does not let us run BPF programs.
    std::cerr << "inxpect-bench: " << e.what() << "\n";
    return exit_status(e.code());
  } catch (const std::exception& e) {
    std::cerr << "inxpect-bench: " << e.what() << "\n";
    return 1;
  }
}
