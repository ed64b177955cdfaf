// The `inxpect` command: a thin front end over the runtime library.
#include <signal.h>

#include <chrono>
#include <iostream>

#include "inxpect/abi.h"
#include "libinxpect/calibrate.h"
#include "libinxpect/elf_file.h"
#include "libinxpect/error.h"
#include "libinxpect/events.h"
#include "libinxpect/json_writer.h"
#include "libinxpect/live.h"
#include "libinxpect/loader.h"
#include "libinxpect/log.h"
#include "libinxpect/packets.h"
#include "libinxpect/probe.h"
#include "libinxpect/report.h"
#include "libinxpect/session.h"
#include "libinxpect/test_run.h"
#include "options.h"

namespace inxpect::cli {
namespace {

const std::vector<OptionSpec> kProfileOptions = {
    {"--prog", "NAME", "XDP program to profile (default: the first)"},
    {"--events", "LIST", "events to count, at most 4 (default: tsc with the module, else ktime)"},
    {"--backend", "NAME", "auto, kmod, perf or ktime (default: auto)"},
    {"--sample", "N", "measure 1 execution in N of each section (default: 1)"},
    {"--disable", "SECTION", "start with SECTION disabled (repeatable)", true},
    {"--map", "MAP=FILE",
     "fill MAP from FILE (hex 'KEY VALUE' lines) before profiling (repeatable)", true},
    {"--format", "FMT", "table, json or csv (default: table)"},
    {"--per-cpu", nullptr, "also break the figures down per CPU"},
    {"--no-calibrate", nullptr, "raw figures: keep the profiler's own cost in them"},
    {"--verbose", nullptr, "-v: libbpf's log and the verifier's whole log; -vv: also debug output",
     true},
    {"--help", nullptr, "show this help"},
};

std::vector<OptionSpec> with(std::vector<OptionSpec> extra) {
  extra.insert(extra.end(), kProfileOptions.begin(), kProfileOptions.end());
  return extra;
}

int cmd_probe(const Args& args) {
  struct Cap {
    const char* name;
    bool (*check)();
  } caps[] = {{"bpf", can_test_run_xdp},
              {"perf-helper", xdp_can_read_perf_events},
              {"pmu", has_hardware_pmu},
              {"kmod", kmod_available}};
  if (args.positional().size() > 1) throw Error("probe takes at most one name", Errc::Usage);
  for (const Cap& c : caps) {
    if (!args.positional().empty() && args.positional()[0] != c.name) continue;
    bool ok = c.check();
    std::cout << c.name << ": " << (ok ? "yes" : "no") << "\n";
    if (!args.positional().empty()) return ok ? 0 : 1;
  }
  if (!args.positional().empty())
    throw Error("unknown capability '" + args.positional()[0] + "'", Errc::Usage);
  return 0;
}

std::string need_object(const Args& args) {
  if (args.positional().size() != 1)
    throw Error("expected one object file (see --help)", Errc::Usage);
  return args.positional()[0];
}

int cmd_list(const Args& args) {
  std::string path = need_object(args);
  std::string format = args.get("--format", "table");
  if (format != "table" && format != "json") throw Error("list prints table or json", Errc::Usage);
  check_bpf_object(path);
  SectionTable table;
  if (auto sites = read_elf_section(path, INXPECT_SITES_SECTION))
    table = SectionTable::parse(*sites);
  std::vector<ProgramInfo> programs = list_programs(path);
  if (format == "json") {
    JsonWriter w(std::cout);
    w.begin_object().key("programs").begin_array();
    for (const ProgramInfo& p : programs)
      w.begin_object().field("name", p.name).field("section", p.section).end_object();
    w.end_array().key("sections").begin_array();
    for (const Section& s : table.sections()) {
      w.begin_object()
          .field("id", s.id)
          .field("name", s.name)
          .field("file", s.file)
          .field("line", s.line);
      w.field("end_line", s.end_line).key("parent");
      if (s.parent >= 0)
        w.value(s.parent);
      else
        w.null();
      w.end_object();
    }
    w.end_array().end_object();
    std::cout << "\n";
  } else {
    std::cout << "programs:\n";
    for (const ProgramInfo& p : programs)
      std::cout << "  " << p.name << "\t(" << p.section << ")\n";
    std::cout << "sections:\n";
    if (table.empty()) std::cout << "  none: " << path << " has no InXpect sections\n";
    for (const Section& s : table.sections())
      std::cout << s.id << "\t" << std::string(2 * s.depth, ' ') << s.name << "\t" << s.file << ":"
                << s.line << "-" << s.end_line
                << "\tparent=" << (s.parent >= 0 ? table.sections()[s.parent].name : "-") << "\n";
  }
  for (const std::string& w : table.warnings()) std::cerr << "inxpect: warning: " << w << "\n";
  return 0;
}

LoadOptions load_options(const Args& args) {
  LoadOptions o;
  Backend backend = parse_backend(args.get("--backend", "auto"));
  bool kmod = backend != Backend::Ktime && backend != Backend::Perf && kmod_available();
  if (backend == Backend::Kmod && !kmod)
    throw Error("the kmod backend is unavailable: " + kmod_unavailable_reason(), Errc::Unsupported);
  std::string fallback = backend == Backend::Perf ? "cpu-clock" : kmod ? "tsc" : "ktime";
  o.events = resolve_events(args.get("--events", fallback), backend, kmod);
  o.sample_rate = static_cast<uint32_t>(args.number("--sample", 1, 1, 1u << 30));
  o.disabled = args.all("--disable");
  for (const std::string& m : args.all("--map")) {
    size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error("--map " + m + ": expected MAP=FILE", Errc::Usage);
    o.map_fills.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
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
  if (!args.has("--no-calibrate"))
    r.calibration = calibrate(session.counters(), session.sample_rate());
  r.object = session.path();
  r.program = program;
  r.backend = backend_of(session.events());
  r.events = session.events();
  r.sample_rate = session.sample_rate();
  r.notes = session.sections().warnings();
  return r;
}

int cmd_run(const Args& args) {
  std::string path = need_object(args);
  auto fmt = make_formatter(args.get("--format", "table"));
  if (args.has("--pcap") && args.has("--gen"))
    throw Error("give --pcap or --gen, not both", Errc::Usage);
  std::vector<Packet> packets = args.has("--pcap")
                                    ? read_pcap(args.get("--pcap"))
                                    : generate_packets(args.get("--gen", "udp4,count=1000"));
  RunOptions ro;
  ro.repeat = static_cast<uint32_t>(args.number("--repeat", 1, 1, 1u << 24));
  ro.keep_output = args.has("--output-pcap");

  Session session(path, load_options(args));
  std::string program;
  int fd = session.program_fd(args.get("--prog"), &program);
  RunResult res = test_run(fd, packets, ro);
  if (ro.keep_output) {
    std::vector<Packet> out;
    for (const PacketResult& p : res.results) out.push_back(p.out);
    write_pcap(args.get("--output-pcap"), out);
  }
  Report r = base_report(session, program, args);
  r.packets = res.packets;
  r.runs = res.runs;
  r.program_ns_per_run = res.ns_per_run;
  for (const auto& [action, n] : res.actions) r.actions[xdp_action_name(action)] = n;
  for (const std::string& n : session.counter_notes()) r.notes.push_back(n);
  fill_rows(r, session.sections(), session.snapshot(), args.has("--per-cpu"));
  fmt->write(r, std::cout);
  return 0;
}

// Signals that end a live session; blocked so that sigtimedwait takes them.
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, s);
  return set;
}

int cmd_attach(const Args& args) {
  std::string path = need_object(args);
  if (!args.has("--dev")) throw Error("attach needs --dev IFACE", Errc::Usage);
  auto fmt = make_formatter(args.get("--format", "table"));
  XdpMode mode = parse_xdp_mode(args.get("--mode", "native"));
  double interval = args.seconds("--interval", 1.0);
  double duration = args.seconds("--duration", 0);  // 0: until a signal

  sigset_t sigs = stop_signals();
  sigprocmask(SIG_BLOCK, &sigs, nullptr);
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
  auto start = clock::now(), last = start;
  bool stop = false;
  while (!stop) {
    double elapsed = std::chrono::duration<double>(clock::now() - start).count();
    double wait = interval;
    if (duration > 0) wait = std::min(wait, duration - elapsed);
    if (wait > 0) {
      timespec ts{static_cast<time_t>(wait),
                  static_cast<long>((wait - static_cast<time_t>(wait)) * 1e9)};
      int sig = sigtimedwait(&sigs, nullptr, &ts);
      if (sig > 0) stop = true;
    }
    if (duration > 0 && std::chrono::duration<double>(clock::now() - start).count() >= duration)
      stop = true;
    Snapshot now = session.snapshot();
    Report r = frame;
    for (const std::string& n : session.counter_notes()) r.notes.push_back(n);
    r.interval_s = std::chrono::duration<double>(clock::now() - last).count();
    last = clock::now();
    fill_rows(r, session.sections(), since(now, prev), args.has("--per-cpu"));
    prev = now;
    fmt->write(r, std::cout);
    std::cout.flush();
  }
  std::cerr << "inxpect: detached from " << args.get("--dev") << "\n";
  return 0;
}

const Command kCommands[] = {
    {"list",
     "OBJ",
     "List the programs of an object and the sections it describes (no privileges needed).",
     {{"--format", "FMT", "table or json (default: table)"},
      {"--verbose", nullptr, "-v: libbpf's log", true},
      {"--help", nullptr, "show this help"}},
     cmd_list},
    {"run", "OBJ",
     "Profile offline: run the program over packets with BPF_PROG_TEST_RUN and report its "
     "sections.",
     with({{"--pcap", "FILE", "packets from a classic pcap file"},
           {"--gen", "SPEC", "generated packets (default: udp4,count=1000); see README"},
           {"--repeat", "N", "runs of each packet in the kernel (default: 1)"},
           {"--output-pcap", "FILE", "write each packet as the program left it"}}),
     cmd_run},
    {"attach", "OBJ", "Profile live: attach the program to an interface and report every interval.",
     with({{"--dev", "IFACE", "interface to attach to (required)"},
           {"--mode", "MODE", "native or skb (default: native)"},
           {"--duration", "S", "stop after S seconds (default: until Ctrl-C)"},
           {"--interval", "S", "seconds between reports (default: 1)"}}),
     cmd_attach},
    {"probe",
     "[bpf|perf-helper|pmu|kmod]",
     "Say what this machine allows; with a name, exit 0 only if it is available.",
     {{"--verbose", nullptr, "-v: libbpf's log", true}, {"--help", nullptr, "show this help"}},
     cmd_probe},
};

int dispatch(int argc, char** argv) {
  std::string name = argc > 1 ? argv[1] : "--help";
  if (name == "--help" || name == "-h" || name == "help") {
    std::cout << "usage: inxpect COMMAND [options]\n\ncommands:\n";
    for (const Command& c : kCommands) std::cout << "  " << c.name << "\t" << c.summary << "\n";
    std::cout << "\nevents: " << known_event_names()
              << "\n'inxpect COMMAND --help' for its options.\n"
              << "exit status: 0 ok, 64 usage, 65 bad input or verifier, 66 not found, 69 "
                 "unsupported here,\n"
              << "71 system error, 77 no permission, 1 other errors.\n";
    return 0;
  }
  for (const Command& c : kCommands) {
    if (name != c.name) continue;
    Args args(c, argc - 2, argv + 2);
    if (args.has("--help")) {
      print_help(c, std::cout);
      return 0;
    }
    size_t v = args.count("--verbose");
    set_log_level(v >= 2 ? LogLevel::Debug : v == 1 ? LogLevel::Verbose : LogLevel::Quiet);
    return c.run(args);
  }
  throw Error("unknown command '" + name + "' (list, run, attach, probe)", Errc::Usage);
}

// Whether the command line asks for JSON output: then errors are JSON too.
bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--format=json" ||
        (a == "--format" && i + 1 < argc && std::string(argv[i + 1]) == "json"))
      return true;
  }
  return false;
}

}  // namespace
}  // namespace inxpect::cli

int main(int argc, char** argv) {
  using namespace inxpect;
  auto fail = [&](const std::string& message, Errc code, int sys_errno) {
    if (cli::wants_json(argc, argv)) {
      // On stdout, where the JSON a consumer reads goes; stderr keeps the line.
      JsonWriter w(std::cout);
      w.begin_object()
          .key("error")
          .begin_object()
          .field("code", errc_name(code))
          .field("message", message);
      if (sys_errno) w.field("errno", sys_errno);
      w.end_object().end_object();
      std::cout << "\n";
    }
    std::cerr << "inxpect: " << message << "\n";
    return exit_status(code);
  };
  try {
    return cli::dispatch(argc, argv);
  } catch (const Error& e) {
    return fail(e.what(), e.code(), e.sys_errno());
  } catch (const std::exception& e) {
    return fail(e.what(), Errc::Failed, 0);
  }
}
