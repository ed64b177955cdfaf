// The one loader of instrumented objects: opens a BPF object, writes what
// inxpect.h reads from .rodata (the way of measuring), loads it, and owns
// it.  Every tool goes through it: the runtime's Session, the calibration, the bench, the
// test-only xdp-run and the VM lab's guest.
//
// Counters, controls and state readers take a LoadedObject; nothing here
// opens a counter or runs a program.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "libinxpect/events.h"
#include "libinxpect/section_table.h"

struct bpf_object;
struct bpf_map;

namespace inxpect {

// Closes a bpf_object: bpf_object__close, or the destroy function of the
// skeleton that opened it.  The only place a bpf_object is closed.
struct ObjectCloser {
  std::function<void()> destroy;  // set for skeletons
  void operator()(bpf_object* obj) const;
};
using ObjectPtr = std::unique_ptr<bpf_object, ObjectCloser>;

// Opens (does not load) `path`.  The only place a BPF object file is
// opened.  Throws Error with libbpf's words.
ObjectPtr open_object(const std::string& path);

// Takes a skeleton (bpftool gen skeleton, C++ flavour) that opened its
// object: the pointer destroys the skeleton, and with it the object.
template <class Skel>
ObjectPtr adopt_skeleton(Skel* skel) {
  bpf_object* obj = skel->obj;
  return ObjectPtr(obj, ObjectCloser{[skel] { Skel::destroy(skel); }});
}

struct ProgramInfo {
  std::string name;
  std::string section;  // ELF section, such as "xdp"
};

// The BPF programs of the object, in ELF order, read without loading them
// (no privileges needed).  Throws Error when libbpf cannot parse the object.
std::vector<ProgramInfo> list_programs(const std::string& path);

// How the macros measure: event e is read from sources[e], rdpmc slot
// slots[e] for Source::KfPmc.  Counters::probe_config() gives the one that
// matches the counters it set up.
struct ProbeConfig {
  std::vector<Source> sources{Source::Ktime};
  std::vector<uint32_t> slots;  // missing entries are slot 0
  // The lean probe (abi.h): count, sum, min and max per section, no call
  // paths, no histograms.  Only with one event, Source::KfTsc.
  bool lean = false;
};

struct LoaderOptions {
  // Write the way of measuring into .rodata.  false: load the object as a
  // loader that knows nothing of InXpect would (its defaults: ktime).
  bool configure = true;
  bool require_xdp = false;  // refuse an object without an XDP program
  // The verifier's log of every program, kept (verifier_log()): 1 the whole
  // log, 4 its statistics only; 0 none (a failure still shows its end).
  unsigned kernel_log_level = 0;
};

class LoadedObject {
 public:
  // Opens, configures and loads `path`.  Throws Error with one line (and
  // the tail of the verifier log when the verifier refused a program).
  static LoadedObject load(const std::string& path, const ProbeConfig& probe,
                           const LoaderOptions& opts = {});
  // The same for an object already opened, such as a skeleton's; `elf` is
  // its ELF image (for the section table), `name` what errors call it.
  static LoadedObject load(ObjectPtr obj, std::string_view elf, const std::string& name,
                           const ProbeConfig& probe, const LoaderOptions& opts = {});

  LoadedObject(LoadedObject&&) noexcept;
  LoadedObject& operator=(LoadedObject&&) noexcept;
  ~LoadedObject();

  const std::string& path() const { return path_; }
  const SectionTable& sections() const { return table_; }
  const ProbeConfig& probe() const { return probe_; }
  bpf_object* get() const { return obj_.get(); }

  // Programs in ELF order: XDP ones only, or all.
  std::vector<std::string> program_names(bool xdp_only = true) const;
  // The fd of program `name`, or of the first XDP program when empty.
  // Throws Error naming the XDP programs that exist.
  int program_fd(const std::string& name, std::string* resolved = nullptr) const;
  // The fd of map `name`, or -1 when the object has none.
  int map_fd(const std::string& name) const;
  // The map libbpf made of data section `section` (".bss", ".rodata",
  // ".data.inxpect"), or nullptr.
  bpf_map* internal_map(const std::string& section) const;
  // inxpect.h's maps: the per-CPU section state and .data.inxpect (-1: none).
  int state_fd() const;
  int controls_fd() const;
  uint32_t controls_size() const;
  // Whether its programs keep bare copies (inxpect-cc
  // -fprofile-sections-bare-copy): their sections' code differs, and so
  // does what calibration subtracts.
  bool bare_copies() const;
  // What the verifier said about `program` (LoaderOptions::kernel_log_level).
  std::string verifier_log(const std::string& program) const;

 private:
  LoadedObject() = default;
  void configure(const LoaderOptions& opts);
  void load_now();

  std::string path_;
  SectionTable table_;
  ProbeConfig probe_;
  ObjectPtr obj_;
  std::map<std::string, std::unique_ptr<char[]>> logs_;  // per program, when kept
};

}  // namespace inxpect
