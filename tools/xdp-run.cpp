// inxpect-xdp-run: test-only harness for the instrumentation tests.
//
//   inxpect-xdp-run [--activate] [--stats] OBJ PACKETS
//
// Loads every program of OBJ with the runtime's loader, fills each
// program-array map with the programs in object order (so tail calls land),
// and runs every packet of PACKETS (one hex string a line) through every
// program with BPF_PROG_TEST_RUN, printing "program action output-hex" per
// run.  Two objects built from one source must print the same lines.
//
// Sections measure either way (their slots are fixed at compile time):
// without --activate the object loads as a loader that knows nothing of
// InXpect would load it (its defaults: ktime, every run), with it as
// `inxpect run` configures it.  --stats prints, per program, the verifier's
// processed-instruction count and the loaded (xlated) size to stderr.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "libinxpect/error.h"
#include "libinxpect/loader.h"
#include "libinxpect/packets.h"
#include "libinxpect/test_run.h"

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

int run(int argc, char** argv) {
  bool activate = false, stats = false;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    std::string a = argv[i];
    if (a == "--activate")
      activate = true;
    else if (a == "--stats")
      stats = true;
    else
      throw Error("unknown option " + a, Errc::Usage);
  }
  if (argc - i != 2) {
    std::cerr << "usage: " << argv[0] << " [--activate] [--stats] OBJ PACKETS\n";
    return 2;
  }
  LoaderOptions lo;
  lo.configure = activate;
  lo.kernel_log_level = stats ? 4 : 0;  // statistics only
  LoadedObject obj = LoadedObject::load(argv[i], ProbeConfig{}, lo);
  std::vector<Packet> packets = read_packets(argv[i + 1]);

  bpf_program* prog;
  if (stats) bpf_object__for_each_program(prog, obj.get()) print_stats(obj, prog);
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
