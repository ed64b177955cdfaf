// XDP programs that are already running, loaded by anyone (ip, bpftool, a
// skeleton, inxpect itself): selected bpftool-style and measured in place.
// Nothing is loaded, attached, detached or pinned: an instrumented
// program's inxpect maps are found among its map ids, its section table in
// its control map (abi.h), and every program's own run count and run time
// come from the kernel while a RunStats is held.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libinxpect/controls.h"
#include "libinxpect/fd.h"
#include "libinxpect/section_table.h"
#include "libinxpect/state.h"

namespace inxpect {

// How the user named the programs: --prog-id, --pin, --name, --tag, --dev,
// or none of them (every XDP program).
struct Selector {
  enum class Kind { All, Id, Pin, Name, Tag, Dev };
  Kind kind = Kind::All;
  std::string value;
};

// The selector of `kind` ("--prog-id", ...) and `value`; throws Error
// (Errc::Usage) on a value that cannot name a program.
Selector make_selector(const std::string& option, const std::string& value);

// An instrumented program's inxpect maps, and its .bss (the sampling
// countdowns), opened by id.
struct Instrumentation {
  Fd state;
  Fd controls;
  Fd bss;  // -1 when the program has no .bss
  ControlMap control_map;
  SectionTable table;
};

// What a program is to the interface it serves: attached itself, libxdp's
// dispatcher there, or a component program behind that dispatcher.
enum class Role { Program, Dispatcher, Component };

// Described once; its fd is not kept, so the program goes when its owner
// removes it (the inxpect maps, held open, stay until the watch ends).
struct RunningProgram {
  uint32_t id = 0;
  std::string name;                      // the full name, from BTF, where the kernel's is cut
  std::string tag;                       // hex, as bpftool prints it
  std::string ifname;                    // the interface it is attached to, or ""
  std::unique_ptr<Instrumentation> inx;  // null: not instrumented
  Role role = Role::Program;
  uint32_t dispatcher = 0;  // a component's dispatcher, by id
};

// The programs `sel` names, by id.  Throws Error with one line: no such
// program, not XDP, permission, a dispatcher not understood.  Kind::All
// gives every XDP program (none is not an error).  Kind::Dev on a libxdp
// dispatcher gives its component programs, then the dispatcher.
std::vector<RunningProgram> find_programs(const Selector& sel);

// The kernel's own figures of a program: runs, and time in it while
// statistics are on.  A component has none of its own (an freplace program
// is jumped to from inside its dispatcher, whose figures include it).
struct RunFigures {
  uint64_t run_cnt = 0;
  uint64_t run_time_ns = 0;
};
RunFigures run_figures(const RunningProgram& p);

// Turns the kernel's run-time statistics on for as long as it is held
// (BPF_ENABLE_STATS: an fd, never the sysctl; closed at exit however the
// process ends).
class RunStats {
 public:
  RunStats();

 private:
  Fd fd_;
};

// The reader and controls of an instrumented program; `p` must outlive them.
std::unique_ptr<StateReader> state_reader(const RunningProgram& p);
std::unique_ptr<Controls> controls(const RunningProgram& p);

}  // namespace inxpect
