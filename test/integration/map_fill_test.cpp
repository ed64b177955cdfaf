// --map against the kernel: per-CPU maps get the file's value on every
// possible CPU (the kernel reads value_size rounded up to 8, times the
// number of possible CPUs), and maps --map cannot fill are refused by name.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sched.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "bpf_env.h"
#include "libinxpect/error.h"
#include "libinxpect/session.h"
#include "libinxpect/test_run.h"

using namespace inxpect;
using namespace inxpect::test;

namespace {

std::string write_temp(const std::string& text) {
  char path[] = "/tmp/inxpect-mapfill.XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

constexpr uint8_t kVerdict[12] = {0x44, 0x33, 0x22, 0x11, 0x88, 0x77,
                                  0x66, 0x55, 0xcc, 0xbb, 0xaa, 0x99};

}  // namespace

TEST(MapFill, PerCpuMapsGetTheValueOnEveryCpu) {
  INXPECT_REQUIRE_BPF();
  std::string verdicts = write_temp("00000000 44332211887766 55ccbbaa99\n");
  // Spaces are not allowed inside a value: the line above is refused...
  LoadOptions bad;
  bad.map_fills = {{"verdicts", verdicts}};
  EXPECT_THROW(Session(itest_object("percpu.o"), bad), Error);
  // ...and these are right.
  std::ofstream(verdicts, std::ios::trunc) << "00000000 4433221188776655ccbbaa99\n";
  std::string flags = write_temp("07000000 0807060504030201\n");
  LoadOptions o;
  o.map_fills = {{"verdicts", verdicts}, {"flags", flags}};
  Session s(itest_object("percpu.o"), o);

  int ncpus = libbpf_num_possible_cpus();
  ASSERT_GT(ncpus, 0);
  std::vector<uint8_t> all(16 * static_cast<size_t>(ncpus), 0xee);
  uint32_t zero = 0;
  ASSERT_EQ(bpf_map_lookup_elem(s.map_fd("verdicts"), &zero, all.data()), 0);
  for (int cpu = 0; cpu < ncpus; cpu++)
    EXPECT_EQ(std::memcmp(all.data() + 16 * cpu, kVerdict, sizeof(kVerdict)), 0) << "cpu " << cpu;

  // The program agrees on every CPU this thread can run on.
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  std::vector<Packet> one = generate_packets("udp4,count=1");
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    cpu_set_t just;
    CPU_ZERO(&just);
    CPU_SET(cpu, &just);
    ASSERT_EQ(sched_setaffinity(0, sizeof(just), &just), 0);
    RunResult r = test_run(s.program_fd("xdp_percpu"), one, RunOptions{});
    EXPECT_EQ(r.actions[XDP_DROP], 1u) << "cpu " << cpu;
  }
  sched_setaffinity(0, sizeof(allowed), &allowed);
  unlink(verdicts.c_str());
  unlink(flags.c_str());
}

TEST(MapFill, RefusesWhatItCannotFillAndNamesTheMap) {
  INXPECT_REQUIRE_BPF();
  std::string file = write_temp("00000000 00000000\n");
  LoadOptions o;
  o.map_fills = {{"jumps", file}};
  try {
    Session s(itest_object("percpu.o"), o);
    FAIL() << "a program array was filled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("map 'jumps' of "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("prog_array"), std::string::npos) << e.what();
  }
  std::ofstream(file, std::ios::trunc) << "00000000 0102\n";
  o.map_fills = {{"flags", file}};
  try {
    Session s(itest_object("percpu.o"), o);
    FAIL() << "a short value was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("entry is 4+2 bytes, map 'flags' of "), std::string::npos)
        << e.what();
  }
  unlink(file.c_str());
}
