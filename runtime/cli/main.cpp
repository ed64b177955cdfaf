// The `inxpect` command: a command table over the handlers (inspect.cpp,
// profile.cpp), and errors as one line, or JSON under --format json.
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "commands.h"
#include "libinxpect/error.h"
#include "libinxpect/escape.h"
#include "libinxpect/events.h"
#include "libinxpect/json_writer.h"
#include "libinxpect/log.h"
#include "libinxpect/signals.h"
#include "options.h"

namespace inxpect::cli {
namespace {

const std::vector<OptionSpec> kProfileOptions = {
    {"--prog", "NAME", "XDP program to profile (default: the first)"},
    {"--events", "LIST", "events to count, at most 4 (default: tsc with the module, else ktime)"},
    {"--backend", "NAME",
     "auto, kmod, perf or ktime (default: auto: the module only if it is loaded already)", false,
     "auto kmod perf ktime"},
    {"--kmod", "PATH",
     "with --backend kmod: the inxpect.ko to load if the module is not loaded (default: the "
     "installed one); root must own it and every directory above it, writable by nobody else"},
    {"--sample", "N",
     "measure 1 run in N of the program, at random intervals, all its sections together "
     "(default: 1)"},
    {"--flat", nullptr, "one row per section (the sum of its call paths), not the call tree"},
    {"--no-hist", nullptr, "do not keep histograms (cheaper; no percentiles)"},
    {"--no-paths", nullptr,
     "do not tell call paths apart (cheaper; every section at top level); with --no-hist and "
     "the module's tsc: the lean probe, the cheapest"},
    {"--disable", "SECTION", "start with SECTION disabled (repeatable)", true},
    {"--map", "MAP=FILE",
     "fill MAP from FILE (hex 'KEY VALUE' lines) before profiling (repeatable)", true},
    {"--format", "FMT",
     "table, json, csv, folded (stacks for flame graphs) or pprof (gzipped protobuf) "
     "(default: table)",
     false, "table json csv folded pprof"},
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

const std::vector<OptionSpec> kRunOptions = {
    {"--pcap", "FILE", "packets from a classic pcap file"},
    {"--gen", "SPEC", "generated packets (default: udp4,count=1000); see README"},
    {"--repeat", "N", "runs of each packet in the kernel (default: 1)"},
    {"--batches", "K",
     "run the packets K times, a snapshot after each: the JSON keeps each section's mean per "
     "batch, the samples inxpect diff tests (default: 1)"},
    {"--output-pcap", "FILE", "write each packet as the program left it"}};

std::vector<OptionSpec> run_options(std::vector<OptionSpec> extra) {
  extra.insert(extra.end(), kRunOptions.begin(), kRunOptions.end());
  return with(extra);
}

const Command kCommands[] = {
    {"list",
     "OBJ",
     "List the programs of an object and the sections it describes (no privileges needed).",
     {{"--format", "FMT", "table or json (default: table)", false, "table json"},
      {"--verbose", nullptr, "-v: libbpf's log", true},
      {"--help", nullptr, "show this help"}},
     cmd_list},
    {"run", "OBJ",
     "Profile offline: run the program over packets with BPF_PROG_TEST_RUN and report its "
     "sections.",
     run_options({}), cmd_run},
    {"attach", "[OBJ]",
     "Profile live: attach the object's program to an interface, or without OBJ measure the "
     "running program a selector names (nothing loaded, detached or pinned), and report every "
     "interval.",
     with({{"--dev", "IFACE",
            "interface to attach to; without OBJ: the program attached there, or those behind its "
            "libxdp dispatcher"},
           {"--prog-id", "N", "without OBJ: the running program with id N"},
           {"--pin", "PATH", "without OBJ: the program pinned at PATH"},
           {"--name", "NAME", "without OBJ: the XDP programs named NAME (full name, from BTF)"},
           {"--tag", "HEX", "without OBJ: the XDP programs with this tag"},
           {"--mode", "MODE", "native or skb (default: native)", false, "native skb"},
           {"--duration", "S", "stop after S seconds (default: until Ctrl-C)"},
           {"--count", "N", "stop after N reports"},
           {"--interval", "S", "seconds between reports (default: 1)"}}),
     cmd_attach},
    {"top",
     "",
     "A live view of every running XDP program (or those a selector names) and its sections: "
     "runs/s, mean and p99 per event, share, % of a CPU.  Nothing is loaded or detached.  On a "
     "terminal, keys as bpftop has them: q or Esc quit; up/down (k/j) select a program; Enter "
     "shows it alone with its history (Enter or Esc goes back); f or / edits the filter (Enter "
     "or Esc ends the edit); s sorts: left/right the column, up ascending, down descending, "
     "Backspace --sort's order, Enter or Esc back; p pauses the view.",
     {{"--prog-id", "N", "the program with id N"},
      {"--pin", "PATH", "the program pinned at PATH"},
      {"--name", "NAME", "the XDP programs named NAME (full name, from BTF)"},
      {"--tag", "HEX", "the XDP programs with this tag"},
      {"--dev", "IFACE", "the program attached to IFACE, or those behind its libxdp dispatcher"},
      {"--sample", "N", "instrumented programs: measure 1 run in N while watching"},
      {"--disable", "SECTION", "instrumented programs: disable SECTION while watching", true},
      {"--sort", "KEY", "cpu, runs, mean, name or id (default: cpu)", false,
       "cpu runs mean name id"},
      {"--filter", "REGEX",
       "only programs, or sections, whose name matches REGEX (extended, case ignored)"},
      {"--format", "FMT", "table or jsonl (default: table on a terminal, else jsonl)", false,
       "table jsonl"},
      {"--interval", "S", "seconds between refreshes (default: 1)"},
      {"--duration", "S", "stop after S seconds (default: until Ctrl-C)"},
      {"--count", "N", "stop after N refreshes"},
      {"--verbose", nullptr, "-v: libbpf's log", true},
      {"--help", nullptr, "show this help"}},
     cmd_top},
    {"serve",
     "--listen ADDR",
     "Export the running XDP programs (or those a selector names) as OpenMetrics for "
     "Prometheus: section histograms and runs, the kernel's run counts.  Nothing is loaded or "
     "detached.",
     {{"--listen", "ADDR", "where to answer scrapes at /metrics, such as :9435 or 127.0.0.1:9435"},
      {"--prog-id", "N", "the program with id N"},
      {"--pin", "PATH", "the program pinned at PATH"},
      {"--name", "NAME", "the XDP programs named NAME (full name, from BTF)"},
      {"--tag", "HEX", "the XDP programs with this tag"},
      {"--dev", "IFACE", "the program attached to IFACE, or those behind its libxdp dispatcher"},
      {"--duration", "S", "stop after S seconds (default: until Ctrl-C)"},
      {"--verbose", nullptr, "-v: libbpf's log", true},
      {"--help", nullptr, "show this help"}},
     cmd_serve},
    {"flamegraph",
     "IN",
     "Draw a clickable SVG flame graph from a JSON report of inxpect run, or from folded "
     "stacks ('-': stdin); each frame's tooltip has its file:line, totals and executions.",
     {{"--output", "FILE", "-o: write the SVG to FILE (default: stdout)"},
      {"--title", "TEXT", "the graph's title (default: the object and program)"},
      {"--width", "PX", "width in pixels (default: 1200)"},
      {"--help", nullptr, "show this help"}},
     cmd_flamegraph},
    {"annotate", "OBJ|REPORT.json",
     "Profile as inxpect run does (or read a saved JSON report), then print the source with each "
     "line's cost and share in the margin; sections of basic-block mode cover their lines.",
     run_options({{"--source-dir", "DIR",
                   "look for source files under DIR (repeatable; default: the current "
                   "directory)",
                   true},
                  {"--html", nullptr, "write one self-contained HTML page"},
                  {"--color", "WHEN", "auto (a terminal), always or never (default: auto)"},
                  {"--context", "N", "lines shown around the profiled ones (default: 3)"},
                  {"--output", "FILE", "-o: write to FILE (default: stdout)"}}),
     cmd_annotate},
    {"diff",
     "A.json B.json",
     "Compare two JSON reports of inxpect run section by section: each change and whether it is "
     "significant (Mann-Whitney and a bootstrap interval over the runs' --batches, else over "
     "their histograms).",
     {{"--event", "NAME", "the event to compare (default: the first)"},
      {"--exclusive", nullptr, "compare exclusive means, not inclusive"},
      {"--alpha", "P", "significance level (default: 0.01)"},
      {"--threshold", "PCT", "changes smaller than PCT percent are never significant (default: 5)"},
      {"--fail-above", "PCT",
       "exit with status 3 when a section is significantly slower by more than PCT percent"},
      {"--format", "FMT", "table or json (default: table)"},
      {"--help", nullptr, "show this help"}},
     cmd_diff},
    {"show",
     "REPORT.json",
     "Print a saved JSON report of inxpect run in another format, from the same figures.",
     {{"--format", "FMT", "table, json, csv, folded or pprof (default: table)"},
      {"--flat", nullptr, "one row per section, not the call tree"},
      {"--help", nullptr, "show this help"}},
     cmd_show},
    {"kmod",
     "load|unload|status",
     "The counter module: load it to stay loaded (which taints the kernel: out-of-tree, "
     "unsigned), unload it, or say its state.",
     {{"--kmod", "PATH",
       "load: the inxpect.ko to load (default: the installed one); root must own it and every "
       "directory above it, writable by nobody else"},
      {"--format", "FMT", "status: table or json (default: table)"},
      {"--verbose", nullptr, "-v: libbpf's log", true},
      {"--help", nullptr, "show this help"}},
     cmd_kmod},
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
              << "\n'inxpect COMMAND --help' for its options.\n\nexit status:\n";
    for (const ExitStatus& s : kExitStatuses)
      std::cout << "  " << s.code << (s.code < 10 ? "   " : "  ") << s.meaning << "\n";
    return 0;
  }
  if (name == "--version") {
    std::cout << "inxpect " INXPECT_VERSION "\n";
    return 0;
  }
  // What the build makes the installed man page and completion from.
  if (name == "--help-man" || name == "--help-bash") {
    auto* write = name == "--help-man" ? write_man : write_bash_completion;
    write(std::begin(kCommands), std::end(kCommands), std::cout);
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
  throw Error(
      "unknown command '" + name +
          "' (list, run, attach, top, serve, flamegraph, annotate, diff, show, kmod, probe)",
      Errc::Usage);
}

// Puts an escaping buffer under a standard stream for main's lifetime,
// and the stream's own buffer back (flushed) at the end.
class Escaped {
 public:
  explicit Escaped(std::ostream& s) : s_(s), buf_(s.rdbuf()) { s_.rdbuf(&buf_); }
  ~Escaped() {
    s_.flush();
    s_.rdbuf(buf_.target());
  }
  Escaped(const Escaped&) = delete;
  Escaped& operator=(const Escaped&) = delete;

 private:
  std::ostream& s_;
  EscapingStreambuf buf_;
};

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

void flush_output(std::ostream& out, const std::string& what) {
  errno = 0;
  out.flush();
  if (out) return;
  int err = errno;
  throw_if_stopped();  // SIGPIPE: a reader that went away
  throw Error("cannot write " + what + (err ? std::string(": ") + std::strerror(err) : ""),
              Errc::System, err);
}

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
  // Every command stops the same way on SIGINT, SIGTERM, SIGHUP, SIGQUIT
  // and SIGPIPE: what it set up is undone (destructors), then it ends by
  // the signal.
  handle_stop_signals();
  // Names and paths come from objects nobody vetted: nothing printed may
  // carry a control sequence to the terminal (JSON escapes them itself).
  cli::Escaped out(std::cout), err(std::cerr);
  try {
    int status = cli::dispatch(argc, argv);
    cli::flush_output(std::cout, "the output");
    if (int sig = stop_requested()) die_by_signal(sig);
    return status;
  } catch (const Interrupted& e) {
    if (e.signal() != SIGPIPE) std::cerr << "inxpect: " << e.what() << "\n";
    die_by_signal(e.signal());
  } catch (const Error& e) {
    return fail(e.what(), e.code(), e.sys_errno());
  } catch (const std::bad_alloc&) {
    return fail("out of memory", Errc::System, ENOMEM);
  } catch (const std::exception& e) {
    return fail(e.what(), Errc::Failed, 0);
  }
}
