// The `inxpect` command: a command table over the handlers (inspect.cpp,
// profile.cpp), and errors as one line, or JSON under --format json.
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <iostream>
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
     "auto, kmod, perf or ktime (default: auto: the module only if it is loaded already)"},
    {"--kmod", "PATH",
     "with --backend kmod: the inxpect.ko to load if the module is not loaded (default: the "
     "installed one); root must own it and every directory above it, writable by nobody else"},
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
  throw Error("unknown command '" + name + "' (list, run, attach, kmod, probe)", Errc::Usage);
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
