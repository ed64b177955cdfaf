// `inxpect run` and `inxpect attach`: profiling offline, over packets with
// BPF_PROG_TEST_RUN, and live, attached to an interface.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "commands.h"
#include "libinxpect/elf_file.h"
#include "libinxpect/error.h"
#include "libinxpect/events.h"
#include "libinxpect/kmod.h"
#include "libinxpect/live.h"
#include "libinxpect/packets.h"
#include "libinxpect/probe.h"
#include "libinxpect/report.h"
#include "libinxpect/session.h"
#include "libinxpect/test_run.h"
#include "watch.h"

namespace inxpect::cli {
namespace {

// The module, for the backends that read it: --backend kmod loads it if it
// is not loaded (from --kmod PATH or the installed module, checked first);
// auto uses it only when it is loaded already.  Taken before the events are
// resolved, so what auto saw loaded stays loaded for this run.
std::shared_ptr<KmodLease> module_for(const Args& args, Backend backend) {
  if (args.has("--kmod") && backend != Backend::Kmod)
    throw Error("--kmod PATH loads a module: give it with --backend kmod", Errc::Usage);
  if (backend == Backend::Kmod) return KmodLease::load(args.get("--kmod"));
  if (backend == Backend::Auto) return KmodLease::if_loaded();
  return nullptr;
}

LoadOptions load_options(const Args& args) {
  LoadOptions o;
  Backend backend = parse_backend(args.get("--backend", "auto"));
  std::string requested = args.get("--events");
  o.sample_rate = static_cast<uint32_t>(args.number("--sample", 1, 1, 1u << 30));
  o.disabled = args.all("--disable");
  o.histograms = !args.has("--no-hist");
  o.paths = !args.has("--no-paths");
  for (const std::string& m : args.all("--map")) {
    size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error("--map " + m + ": expected MAP=FILE", Errc::Usage);
    o.map_fills.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  // The events are checked before any module is loaded: loading taints the
  // kernel for good, so a bad command line must not get that far.
  if (!requested.empty()) resolve_events(requested, backend, true);
  if (backend == Backend::Kmod) {
    for (const Event& e : resolve_events(requested.empty() ? "tsc" : requested, backend, true))
      if (e.hardware && !has_hardware_pmu())
        throw Error("no hardware PMU: '" + e.name +
                        "' cannot be counted on this machine (the 'tsc' event still works)",
                    Errc::Unsupported);
  }
  o.kmod = module_for(args, backend);
  bool kmod = o.kmod && o.kmod->held() && kmod_available();
  std::string fallback = backend == Backend::Perf ? "cpu-clock" : kmod ? "tsc" : "ktime";
  o.events = resolve_events(requested.empty() ? fallback : requested, backend, kmod);
  return o;
}

std::string backend_of(const std::vector<Event>& events) {
  std::string s;
  for (const Event& e : events)
    if (s.find(source_name(e.source)) == std::string::npos)
      s += (s.empty() ? "" : "+") + std::string(source_name(e.source));
  return s;
}

// The report's frame; calibrated unless --no-calibrate, measured now, after
// `session` has configured the counters.
Report base_report(const Session& session, const std::string& program, const Args& args) {
  Report r;
  if (!args.has("--no-calibrate")) r.calibration = session.calibrate();
  r.object = session.path();
  r.program = program;
  r.backend = backend_of(session.events());
  r.events = session.events();
  r.sample_rate = session.sample_rate();
  r.notes = session.sections().warnings();
  r.flat = args.has("--flat");
  if (r.calibration)
    for (size_t e = 0; e < r.events.size(); e++)
      if (r.calibration->instrumented.spread[e] > 0.05 * r.calibration->instrumented.fixed[e]) {
        char spread[32];
        std::snprintf(spread, sizeof(spread), "%.1f", r.calibration->instrumented.spread[e]);
        r.notes.push_back("the calibration of " + r.events[e].name + " varies by " + spread +
                          " from batch to batch: figures smaller than that are within its noise");
      }
  // Without call paths no section knows the sections measured inside it,
  // so calibration cannot subtract their probes (bench: +30% to +78% on
  // the four-section apps).
  if (r.calibration && args.has("--no-paths"))
    r.notes.push_back(
        "--no-paths: a section's figures include the probes of the sections measured inside it "
        "(calibration subtracts them only along call paths)");
  return r;
}

}  // namespace

Report run_report(const Args& args) {
  std::string path = need_object(args);
  if (args.has("--pcap") && args.has("--gen"))
    throw Error("give --pcap or --gen, not both", Errc::Usage);
  // Packets are made or read again for each batch as they are run, never
  // all held at once.  The first source is opened before loading, so that a
  // bad spec or file is an error before anything else.
  auto source = [&] {
    return args.has("--pcap") ? pcap_reader(args.get("--pcap"))
                              : packet_generator(args.get("--gen", "udp4,count=1000"));
  };
  std::unique_ptr<PacketSource> first = source();
  RunOptions ro;
  ro.repeat = static_cast<uint32_t>(args.number("--repeat", 1, 1, 1u << 24));
  ro.keep_output = args.has("--output-pcap");
  unsigned nbatch = static_cast<unsigned>(args.number("--batches", 1, 1, 10000));

  check_bpf_object(path);  // before any module is loaded for it
  Session session(path, load_options(args));
  std::string program;
  int fd = session.program_fd(args.get("--prog"), &program);
  // Each batch runs every packet; the snapshot after each tells what it
  // measured.  The report is their sum; the last batch's output is kept.
  RunResult res;
  std::vector<Snapshot> batches;
  Snapshot prev = session.snapshot();
  double ns = 0;
  for (unsigned k = 0; k < nbatch; k++) {
    std::unique_ptr<PacketSource> packets = k ? source() : std::move(first);
    std::optional<PcapWriter> out;
    RunOptions bo = ro;
    bo.keep_output = ro.keep_output && k + 1 == nbatch;
    if (bo.keep_output) out.emplace(args.get("--output-pcap"));
    RunResult b = test_run(fd, *packets, bo, [&](const PacketResult& p) { out->write(p.out); });
    if (out) out->close();
    res.packets += b.packets;
    res.runs += b.runs;
    for (const auto& [action, n] : b.actions) res.actions[action] += n;
    ns += b.ns_per_run * static_cast<double>(b.runs);
    if (nbatch > 1) {
      Snapshot now = session.snapshot();
      batches.push_back(since(now, prev, static_cast<unsigned>(session.events().size())));
      prev = std::move(now);
    }
  }
  res.ns_per_run = res.runs ? ns / static_cast<double>(res.runs) : 0;
  Report r = base_report(session, program, args);
  r.packets = res.packets;
  r.runs = res.runs;
  r.program_ns_per_run = res.ns_per_run;
  for (const auto& [action, n] : res.actions) r.actions[xdp_action_name(action)] = n;
  for (const std::string& n : session.counter_notes()) r.notes.push_back(n);
  fill_rows(r, session.sections(), session.snapshot(), args.has("--per-cpu"));
  for (const Snapshot& b : batches) add_batch(r, session.sections(), b);
  return r;
}

int cmd_run(const Args& args) {
  std::string format = args.get("--format", "table");
  auto fmt = output_formatter(format);
  Report r = run_report(args);
  std::ostream& out = report_stdout(format);
  fmt->write(r, out);
  flush_output(out, "the report");
  return 0;
}

int cmd_attach(const Args& args) {
  // No object: measure what is running, as the selector names it.
  if (args.positional().empty()) return attach_running(args);
  std::string path = need_object(args);
  if (!args.has("--dev")) throw Error("attach needs --dev IFACE", Errc::Usage);
  auto fmt = output_formatter(args.get("--format", "table"), false);
  XdpMode mode = parse_xdp_mode(args.get("--mode", "native"));
  Schedule when = schedule_of(args);
  // Blocked before loading, so a stop signal during the load ends the
  // session cleanly once it starts.
  sigset_t sigs = stop_signals();
  sigprocmask(SIG_BLOCK, &sigs, nullptr);
  check_bpf_object(path);  // before any module is loaded for it
  Session session(path, load_options(args));
  std::string program;
  int fd = session.program_fd(args.get("--prog"), &program);
  // Calibrated and zeroed before attaching, so the first report misses nothing.
  const Report frame = base_report(session, program, args);
  Snapshot prev = session.snapshot();
  XdpAttachment attachment(fd, args.get("--dev"), mode);
  std::cerr << "inxpect: " << program << " attached to " << args.get("--dev")
            << "; Ctrl-C to stop\n";

  using clock = std::chrono::steady_clock;
  auto last = clock::now();
  every_interval(when, [&] {
    Snapshot now = session.snapshot();
    Report r = frame;
    for (const std::string& n : session.counter_notes()) r.notes.push_back(n);
    r.interval_s = std::chrono::duration<double>(clock::now() - last).count();
    last = clock::now();
    fill_rows(r, session.sections(), since(now, prev, static_cast<unsigned>(r.events.size())),
              args.has("--per-cpu"));
    prev = now;
    fmt->write(r, std::cout);
    flush_output(std::cout, "the report");
  });
  std::cerr << "inxpect: detached from " << args.get("--dev") << "\n";
  return 0;
}

}  // namespace inxpect::cli
