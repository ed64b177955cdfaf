// The lease on inxpect.ko between inxpect processes, and the kmod
// commands (kmod.h): who may load it, who unloads it.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "inxpect/kmod_uapi.h"
#include "kmod_module.h"
#include "libinxpect/error.h"
#include "libinxpect/events.h"
#include "libinxpect/kmod.h"
#include "libinxpect/signals.h"
#include "libinxpect/trusted_file.h"

namespace inxpect {
namespace {

constexpr char kRunDir[] = "/run/inxpect";
constexpr char kLockFile[] = "/run/inxpect/kmod.lock";
// Present while the module loaded is one an inxpect run loaded: it holds
// the module's address, so a module loaded again by someone else since is
// not taken for it.
constexpr char kMarker[] = "/run/inxpect/kmod.loaded-by-run";
// Byte 0 of the lock file: the gate, held while loading, unloading, or
// deciding to.  Byte 1: read-locked by every process that holds a lease.
constexpr off_t kGate = 0, kUsers = 1;

void remove_marker() { unlink(kMarker); }

void write_marker() {
  Fd fd(open(kMarker, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
  std::string id = module_identity() + "\n";
  if (!fd || write(fd.get(), id.data(), id.size()) != static_cast<ssize_t>(id.size()))
    std::cerr << "inxpect: warning: cannot write " << kMarker << " (" << std::strerror(errno)
              << "): the module will stay loaded\n";
}

// Whether the module loaded now is the one an inxpect run loaded.
bool loaded_by_run() {
  std::string id = module_identity();
  return !id.empty() && id != "0x0000000000000000" && read_small(kMarker) == id + "\n";
}

// /run/inxpect/kmod.lock, created if needed.  Without it (no permission
// for /run) there is no coordination: an empty Fd, or Error when `required`.
Fd open_lock(bool required) {
  if (mkdir("/run", 0755) && errno != EEXIST) {
    if (required) throw errno_error("cannot create /run", errno);
    return Fd();
  }
  if (mkdir(kRunDir, 0700) && errno != EEXIST) {
    if (required) throw errno_error(std::string("cannot create ") + kRunDir, errno);
    return Fd();
  }
  struct stat st;
  if (lstat(kRunDir, &st) || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
      (st.st_mode & (S_IWGRP | S_IWOTH)))
    throw Error(std::string(kRunDir) + " is not a directory that only root can write",
                Errc::NoPermission);
  Fd fd(open(kLockFile, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd && required) throw errno_error(std::string("cannot open ") + kLockFile, errno);
  return fd;
}

// A lock of `type` on byte `at` of the lock file.
struct flock byte_lock(off_t at, short type) {
  struct flock l;
  std::memset(&l, 0, sizeof(l));
  l.l_type = type;
  l.l_whence = SEEK_SET;
  l.l_start = at;
  l.l_len = 1;
  return l;
}

int set_lock(int fd, off_t at, short type, int cmd) {
  struct flock l = byte_lock(at, type);
  return fcntl(fd, cmd, &l);
}

// Waits for a lock.  A signal that asks to stop ends the wait (Interrupted)
// unless `stoppable` is false (a process already on its way out).
void wait_lock(int fd, off_t at, short type, bool stoppable) {
  while (set_lock(fd, at, type, F_OFD_SETLKW)) {
    if (errno != EINTR) {
      if (stoppable) throw errno_error(std::string("cannot lock ") + kLockFile, errno);
      return;
    }
    if (stoppable) throw_if_stopped();
  }
}

bool try_lock(int fd, off_t at, short type) { return set_lock(fd, at, type, F_OFD_SETLK) == 0; }
void unlock(int fd, off_t at) { set_lock(fd, at, F_UNLCK, F_OFD_SETLK); }

// Whether another open file holds a lock on byte `at`.
bool locked_elsewhere(int fd, off_t at) {
  struct flock l = byte_lock(at, F_WRLCK);
  return fcntl(fd, F_OFD_GETLK, &l) == 0 && l.l_type != F_UNLCK;
}

// The gate, for one scope.
class Gate {
 public:
  Gate(int fd, bool stoppable) : fd_(fd) { wait_lock(fd_, kGate, F_WRLCK, stoppable); }
  ~Gate() { unlock(fd_, kGate); }
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

 private:
  int fd_;
};

}  // namespace

std::shared_ptr<KmodLease> KmodLease::if_loaded() {
  std::shared_ptr<KmodLease> lease(new KmodLease);
  if (!kmod_loaded()) return lease;  // checked again under the gate when it is
  lease->lock_ = open_lock(false);
  if (!lease->lock_) {
    // No coordination here (no root): use what is loaded, never unload it.
    lease->held_ = kmod_loaded();
    return lease;
  }
  Gate gate(lease->lock_.get(), true);
  if (!kmod_loaded()) {
    remove_marker();
    return lease;
  }
  if (!loaded_by_run()) remove_marker();
  lease->held_ = try_lock(lease->lock_.get(), kUsers, F_RDLCK);
  return lease;
}

std::shared_ptr<KmodLease> KmodLease::load(const std::string& path) {
  std::shared_ptr<KmodLease> lease(new KmodLease);
  lease->lock_ = open_lock(false);
  if (!lease->lock_) {
    // No coordination (no root): a loaded module can still be used.
    if (kmod_loaded()) {
      lease->held_ = true;
      return lease;
    }
    lease->lock_ = open_lock(true);  // says why it cannot
  }
  Gate gate(lease->lock_.get(), true);
  if (!kmod_loaded()) {
    remove_marker();
    lease->loaded_here_ = insert_module(path);
    if (lease->loaded_here_) write_marker();
  } else if (!loaded_by_run()) {
    remove_marker();
  }
  if (!try_lock(lease->lock_.get(), kUsers, F_RDLCK))
    throw errno_error(std::string("cannot lock ") + kLockFile, errno);
  lease->held_ = true;
  return lease;
}

bool KmodLease::others_hold() const { return lock_ && locked_elsewhere(lock_.get(), kUsers); }

KmodLease::~KmodLease() {
  if (!lock_ || !held_) return;
  Gate gate(lock_.get(), false);
  unlock(lock_.get(), kUsers);
  // Nobody else holds a lease: the last one out unloads what a run loaded.
  if (!try_lock(lock_.get(), kUsers, F_WRLCK)) return;
  if (loaded_by_run()) {
    if (int err = remove_module())
      std::cerr << "inxpect: warning: the inxpect module stays loaded: " << std::strerror(err)
                << " (refcount " << module_refcount() << ")\n";
    else
      remove_marker();
  }
  unlock(lock_.get(), kUsers);
}

std::string kmod_load_persistent(const std::string& path) {
  Fd lock = open_lock(true);
  Gate gate(lock.get(), true);
  if (kmod_loaded()) {
    bool by_run = loaded_by_run();
    remove_marker();
    return by_run ? "the module was loaded by an inxpect run; it now stays loaded "
                    "('inxpect kmod unload' removes it)"
                  : "the module is loaded already";
  }
  remove_marker();
  unsigned long before = kernel_taint();
  std::string ko = path.empty() ? installed_kmod_path() : path;
  insert_module(ko);
  unsigned long after = kernel_taint();
  std::string said = "loaded " + ko;
  if (after != before)
    said += "; the kernel's taint flags went from " + std::to_string(before) + " to " +
            std::to_string(after) + " (see docs/kmod.md)";
  return said;
}

std::string kmod_unload() {
  Fd lock = open_lock(true);
  Gate gate(lock.get(), true);
  if (!kmod_loaded()) {
    remove_marker();
    return "the module is not loaded";
  }
  if (locked_elsewhere(lock.get(), kUsers))
    throw Error(
        "the module is in use by an inxpect process (the last one to end unloads it if a run "
        "loaded it)",
        Errc::Failed, EBUSY);
  if (int err = remove_module())
    throw Error("cannot unload the module: " + std::string(std::strerror(err)) + " (refcount " +
                    std::to_string(module_refcount()) +
                    ": BPF programs that call its kfuncs, or an open " INXPECT_KMOD_DEVICE ")",
                err == EPERM ? Errc::NoPermission : Errc::Failed, err);
  remove_marker();
  return "unloaded the module";
}

KmodStatus kmod_status() {
  KmodStatus st;
  st.loaded = kmod_loaded();
  st.taint = kernel_taint();
  st.file = installed_kmod_path();
  try {
    open_trusted_file(st.file);
  } catch (const Error& e) {
    st.file_problem = e.what();
  }
  if (!st.loaded) return st;
  st.refcount = module_refcount();
  Fd lock = open_lock(false);
  st.loaded_by = loaded_by_run() ? "an inxpect run (unloaded by the last inxpect process to use it)"
                                 : "the operator (stays loaded)";
  st.inxpect_users = lock && locked_elsewhere(lock.get(), kUsers);
  Fd dev(open(INXPECT_KMOD_DEVICE, O_RDWR | O_CLOEXEC));
  inxpect_kmod_info info;
  std::memset(&info, 0, sizeof(info));
  if (!dev) {
    st.device = errno_message("cannot open " INXPECT_KMOD_DEVICE, errno);
  } else if (ioctl(dev.get(), INXPECT_KMOD_IOC_INFO, &info)) {
    st.device = errno_message("cannot query " INXPECT_KMOD_DEVICE, errno);
  } else {
    std::string events;
    for (uint32_t k = 0; k < info.nr_slots && k < INXPECT_MAX_EVENTS; k++)
      events += (events.empty() ? "" : ", ") + perf_event_name(info.ev[k].type, info.ev[k].config);
    st.device = "ABI " + std::to_string(info.abi_version) + ", PMU " +
                (info.pmu_present ? "yes" : "no") +
                ", counters configured: " + (events.empty() ? "none" : events) + ", CPUs ready " +
                std::to_string(info.cpus_ready) + " of " + std::to_string(info.cpus_online);
  }
  return st;
}

}  // namespace inxpect
