// inxpect-xdp-run: test-only harness for the instrumentation tests.
//
//   inxpect-xdp-run [--activate] [--sample N] [--stats] [--dump-maps]
//                   [--map NAME=FILE]... [--type SECTION=xdp|tc|off]... OBJ PACKETS
//
// Loads every program of OBJ with the runtime's loader, fills each
// program-array map with the programs in object order (so tail calls land),
// and runs every packet of PACKETS (one hex string a line) through every
// program with BPF_PROG_TEST_RUN, printing "program action output-hex" per
// run.  Two objects built from one source must print the same lines.  It
// runs on one CPU (the first it may use), so that per-CPU maps of two runs
// can be compared.
//
// --map fills map NAME before the run (map_fill.h's format; a per-CPU map
// gets the value on every CPU).  --dump-maps prints the program's own maps
// after the run (xdp-run-maps.h).  --type loads the programs of an ELF
// section that libbpf does not know (SEC("xdp_foo") for ip/tc loaders) as
// XDP or TC programs, or not at all.
//
// Sections measure either way (their slots are fixed at compile time):
// without --activate the object loads as a loader that knows nothing of
// InXpect would load it (its defaults: ktime, every run), with it as
// `inxpect run` configures it.  --sample N (with --activate) measures 1 run
// in N, so that a program's measured and unmeasured runs (its bare copy,
// -fprofile-sections-bare-copy) both answer.  --stats prints, per program,
// the verifier's processed-instruction count and the loaded (xlated) size
// to stderr.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <sched.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "libinxpect/controls.h"
#include "libinxpect/elf_file.h"
#include "libinxpect/error.h"
#include "libinxpect/loader.h"
#include "libinxpect/packets.h"
#include "libinxpect/test_run.h"
#include "xdp-run-maps.h"

using namespace inxpect;

namespace {

Packet unhex(const std::string& line) {
  Packet p;
  for (size_t i = 0; i + 1 < line.size() && std::isxdigit(static_cast<unsigned char>(line[i]));
       i += 2)
    p.push_back(static_cast<uint8_t>(std::stoul(line.substr(i, 2), nullptr, 16)));
  return p;
}

std::vector<Packet> read_packets(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw errno_error("open " + path, errno);
  std::vector<Packet> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.push_back(unhex(line));
  return out;
}

void print_stats(const LoadedObject& obj, bpf_program* prog) {
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
  std::string log = obj.verifier_log(bpf_program__name(prog));
  size_t at = log.find("processed ");
  std::string processed = at == std::string::npos ? "" : log.substr(at, log.find('(', at) - at - 1);
  std::fprintf(stderr, "%s: insns=%zu xlated_insns=%u verifier_%s\n", bpf_program__name(prog),
               bpf_program__insn_cnt(prog), info.xlated_prog_len / 8, processed.c_str());
}

std::pair<std::string, std::string> split(const std::string& arg, const std::string& opt) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw Error(opt + " takes NAME=VALUE, not '" + arg + "'", Errc::Usage);
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

// Opens OBJ, gives the programs of the sections in `types` their type (or
// no load), and loads it through the runtime's loader.
LoadedObject load(const std::string& path,
                  const std::vector<std::pair<std::string, std::string>>& types,
                  const LoaderOptions& lo) {
  if (types.empty()) return LoadedObject::load(path, ProbeConfig{}, lo);
  check_bpf_object(path);
  std::ifstream in(path, std::ios::binary);
  std::string elf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ObjectPtr o = open_object(path);
  bpf_program* prog;
  bpf_object__for_each_program(prog, o.get()) {
    for (const auto& [sec, type] : types) {
      if (sec != bpf_program__section_name(prog)) continue;
      if (type == "xdp")
        bpf_program__set_type(prog, BPF_PROG_TYPE_XDP);
      else if (type == "tc")
        bpf_program__set_type(prog, BPF_PROG_TYPE_SCHED_CLS);
      else if (type == "off")
        bpf_program__set_autoload(prog, false);
      else
        throw Error("--type takes xdp, tc or off, not '" + type + "'", Errc::Usage);
    }
  }
  return LoadedObject::load(std::move(o), elf, path, ProbeConfig{}, lo);
}

// Per-CPU maps of two runs compare only if both ran on one CPU.
void pin_to_one_cpu() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set)) return;
  for (int c = 0; c < CPU_SETSIZE; c++) {
    if (!CPU_ISSET(c, &set)) continue;
    CPU_ZERO(&set);
    CPU_SET(c, &set);
    if (sched_setaffinity(0, sizeof(set), &set)) throw errno_error("sched_setaffinity", errno);
    return;
  }
}

int run(int argc, char** argv) {
  bool activate = false, stats = false, dump = false;
  uint32_t rate = 1;
  std::vector<std::pair<std::string, std::string>> fills, types;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    std::string a = argv[i];
    if (a == "--activate")
      activate = true;
    else if (a == "--sample" && i + 1 < argc)
      rate = static_cast<uint32_t>(std::stoul(argv[++i]));
    else if (a == "--stats")
      stats = true;
    else if (a == "--dump-maps")
      dump = true;
    else if ((a == "--map" || a == "--type") && i + 1 < argc)
      (a == "--map" ? fills : types).push_back(split(argv[++i], a));
    else
      throw Error("unknown option " + a, Errc::Usage);
  }
  if (argc - i != 2) {
    std::cerr << "usage: " << argv[0]
              << " [--activate] [--sample N] [--stats] [--dump-maps] [--map NAME=FILE]..."
                 " [--type SECTION=xdp|tc|off]... OBJ PACKETS\n";
    return 2;
  }
  pin_to_one_cpu();
  LoaderOptions lo;
  lo.configure = activate;
  lo.kernel_log_level = stats ? 4 : 0;  // statistics only
  LoadedObject obj = load(argv[i], types, lo);
  std::vector<Packet> packets = read_packets(argv[i + 1]);
  for (const auto& [name, file] : fills) fill_map(obj.get(), name, file);
  if (activate && rate > 1 && obj.controls_fd() >= 0) Controls(obj, ControlOptions{rate});

  bpf_program* prog;
  bpf_object__for_each_program(prog, obj.get()) {
    if (stats && bpf_program__fd(prog) >= 0) print_stats(obj, prog);
  }
  bpf_map* map;
  bpf_object__for_each_map(map, obj.get()) {
    if (bpf_map__type(map) != BPF_MAP_TYPE_PROG_ARRAY) continue;
    uint32_t k = 0;
    bpf_object__for_each_program(prog, obj.get()) {
      int fd = bpf_program__fd(prog);
      if (k < bpf_map__max_entries(map)) bpf_map_update_elem(bpf_map__fd(map), &k, &fd, 0);
      k++;
    }
  }
  RunOptions ro;
  ro.keep_output = true;
  bpf_object__for_each_program(prog, obj.get()) {
    if (bpf_program__fd(prog) < 0) continue;  // not loaded (--type SECTION=off)
    for (const Packet& p : packets) {
      try {
        RunResult r = test_run(bpf_program__fd(prog), {p}, ro);
        std::printf("%s %u ", bpf_program__name(prog), r.results[0].action);
        for (uint8_t b : r.results[0].out) std::printf("%02x", b);
        std::printf("\n");
      } catch (const Error& e) {
        std::printf("%s error %d\n", bpf_program__name(prog), -e.sys_errno());
      }
    }
  }
  if (dump)
    for (const std::string& line : dump_maps(obj.get())) std::printf("%s\n", line.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const Error& e) {
    std::cerr << "inxpect-xdp-run: " << e.what() << "\n";
    return 1;
  }
}
