// inxpect.ko, the counter module: when it is loaded, by whom, and when it
// goes.  The rules (docs/kmod.md):
//
//   - Nothing loads the module unless asked: `--backend auto` uses it only
//     when it is loaded already.  Loading is --backend kmod or
//     `inxpect kmod load`, and only from a file that root owns and nobody
//     else can change (trusted_file.h).  Loading an unsigned, out-of-tree
//     module taints the kernel for good (flags O and E).
//   - A module that an inxpect run loaded is unloaded by the last inxpect
//     process that uses it, however the others end; one that the operator
//     loaded (`inxpect kmod load`, insmod, modprobe) stays.
//   - Loading and unloading are serialised between inxpect processes, so a
//     start waits for an unload in progress instead of failing.
//
// The inxpect processes that use the module hold a lease: a lock on
// /run/inxpect/kmod.lock that the kernel drops when a process ends, even
// by SIGKILL, so a process that was killed never pins the module.
#pragma once

#include <memory>
#include <string>

#include "libinxpect/fd.h"

namespace inxpect {

// Whether inxpect.ko is loaded now.
bool kmod_loaded();

// Where `inxpect kmod load` and --backend kmod load the module from unless
// told otherwise: the installed module.
std::string installed_kmod_path();

class KmodLease {
 public:
  // A lease on the module if it is loaded now; held() is false when it is
  // not.  Never loads it.
  static std::shared_ptr<KmodLease> if_loaded();
  // A lease on the module, loaded from `path` (installed_kmod_path() when
  // empty) if it is not loaded yet; unloaded again by the last inxpect
  // process that uses it.  Throws Error: an untrusted or missing file, a
  // module built for another kernel, no module support, no permission.
  static std::shared_ptr<KmodLease> load(const std::string& path = "");
  // The last inxpect user of a module an inxpect run loaded unloads it.
  ~KmodLease();
  KmodLease(const KmodLease&) = delete;
  KmodLease& operator=(const KmodLease&) = delete;

  bool held() const { return held_; }
  // Whether this process loaded the module.
  bool loaded_here() const { return loaded_here_; }
  // Whether another inxpect process holds a lease on the module now.
  bool others_hold() const;

 private:
  KmodLease() = default;
  Fd lock_;
  bool held_ = false;
  bool loaded_here_ = false;
};

// `inxpect kmod load`: loads the module from `path` (installed_kmod_path()
// when empty) to stay loaded, and takes it over from inxpect's automatic
// unload when an inxpect run loaded it.  Returns what it did, one line.
std::string kmod_load_persistent(const std::string& path);
// `inxpect kmod unload`: unloads the module unless an inxpect process or a
// BPF program uses it (Error saying which).  Returns what it did.
std::string kmod_unload();

// `inxpect kmod status`, as key/value lines.
struct KmodStatus {
  bool loaded = false;
  std::string loaded_by;       // "inxpect (unloaded by its last user)" or "the operator"
  bool inxpect_users = false;  // an inxpect process holds a lease now
  int refcount = -1;           // the kernel's count, -1 unknown
  std::string file;            // what a load would use
  std::string file_problem;    // why it could not be loaded from there, or ""
  unsigned long taint = 0;     // /proc/sys/kernel/tainted
  std::string device;          // /dev/inxpect's view (ABI, PMU, slots), or why not
};
KmodStatus kmod_status();

}  // namespace inxpect
