#include "kmod_counters.h"

#include <fcntl.h>
#include <linux/module.h>
#include <lzma.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "inxpect/kmod_uapi.h"
#include "libinxpect/error.h"
#include "libinxpect/fd.h"
#include "libinxpect/probe.h"

namespace inxpect {
namespace {

constexpr char kModuleName[] = "inxpect";

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// The "vermagic=" string of a .ko: which kernel release it was built for.
std::string vermagic_of(const std::string& ko) {
  std::ifstream in(ko, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = data.find("vermagic=");
  if (at == std::string::npos) return "";
  size_t end = data.find('\0', at);
  std::string v = data.substr(at + 9, end - at - 9);
  return v.substr(0, v.find(' '));
}

std::string kernel_release() {
  utsname u;
  return uname(&u) == 0 ? u.release : "";
}

bool ends_with(const std::string& s, const char* suffix) {
  size_t n = strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// inxpect.ko.xz (DKMS compresses the module as the kernel's own modules
// are), decompressed into a memfd to load: the kernel's own decompressor
// takes only CRC32-checked xz, and Debian 12's dkms writes CRC64.
Fd decompressed_xz(const std::string& ko) {
  std::ifstream in(ko, std::ios::binary);
  if (!in) throw errno_error("cannot open " + ko, errno);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  lzma_stream z = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&z, UINT64_MAX, 0) != LZMA_OK)
    throw Error("cannot decompress " + ko + ": out of memory", Errc::System);
  z.next_in = reinterpret_cast<const uint8_t*>(data.data());
  z.avail_in = data.size();
  std::string out;
  uint8_t buf[1 << 16];
  lzma_ret r = LZMA_OK;
  while (r == LZMA_OK) {
    z.next_out = buf;
    z.avail_out = sizeof(buf);
    r = lzma_code(&z, LZMA_FINISH);
    out.append(reinterpret_cast<const char*>(buf), sizeof(buf) - z.avail_out);
  }
  lzma_end(&z);
  if (r != LZMA_STREAM_END) throw Error(ko + " is not a valid xz file", Errc::BadInput);
  Fd fd(memfd_create("inxpect.ko", MFD_CLOEXEC));
  if (!fd) throw errno_error("cannot decompress " + ko + ": memfd_create", errno);
  for (size_t done = 0; done < out.size();) {
    ssize_t n = write(fd.get(), out.data() + done, out.size() - done);
    if (n < 0) throw errno_error("cannot decompress " + ko, errno);
    done += static_cast<size_t>(n);
  }
  return fd;
}

// Loads `ko`; true when it was loaded now, false when it already was.
bool load_module(const std::string& ko) {
  std::string built_for = vermagic_of(ko), running = kernel_release();
  if (!built_for.empty() && built_for != running)
    throw Error(ko + " was built for kernel " + built_for + ", this is " + running +
                    " (rebuild it against this kernel's headers)",
                Errc::Unsupported);
  // .ko.gz and .ko.zst are left to the kernel to decompress.
  bool xz = ends_with(ko, ".ko.xz"), compressed = !xz && !ends_with(ko, ".ko");
  Fd fd = xz ? decompressed_xz(ko) : Fd(open(ko.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw errno_error("cannot open " + ko, errno);
  if (syscall(SYS_finit_module, fd.get(), "", compressed ? MODULE_INIT_COMPRESSED_FILE : 0) == 0)
    return true;
  int err = errno;
  if (err == EEXIST) return false;
  if (err == ENOSYS)
    throw Error(
        "this kernel cannot load modules (no CONFIG_MODULES); the kmod backend is unavailable",
        Errc::Unsupported, err);
  if (err == ENOEXEC || err == EINVAL)
    throw errno_error("the kernel refused " + ko + " (built for another kernel or configuration?)",
                      err, Errc::Unsupported);
  throw errno_error("cannot load " + ko, err);
}

Fd open_device() {
  // udev or devtmpfs creates the node shortly after the module registers it.
  for (int i = 0; i < 100; i++) {
    Fd fd(open(INXPECT_KMOD_DEVICE, O_RDWR | O_CLOEXEC));
    if (fd) return fd;
    if (errno != ENOENT) throw errno_error("cannot open " INXPECT_KMOD_DEVICE, errno);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw Error(INXPECT_KMOD_DEVICE " did not appear after loading the module", Errc::System);
}

Error refusal(const Event& ev, int err) {
  err = err < 0 ? -err : err;
  switch (err) {
    case ENOENT:
      return Error("event '" + ev.name + "' is not available on this machine (no hardware PMU?)",
                   Errc::Unsupported, err);
    case EBUSY:
      return Error("event '" + ev.name + "' found no free hardware counter (too many events?)",
                   Errc::Unsupported, err);
    case EOPNOTSUPP:
      return Error("event '" + ev.name + "' cannot be read with rdpmc", Errc::Unsupported, err);
    default: break;
  }
  return errno_error("event '" + ev.name + "'", err);
}

// The programs that held the module's kfuncs let go of it only after an RCU
// grace period, so a refusal right after they are closed is retried.
void unload_module() {
  for (int i = 0; i < 50; i++) {
    if (syscall(SYS_delete_module, kModuleName, O_NONBLOCK) == 0 ||
        (errno != EAGAIN && errno != EBUSY))
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

std::string find_kmod_file() {
  if (const char* env = std::getenv("INXPECT_KMOD")) return exists(env) ? env : "";
  // A program run from a build tree: that tree's module, <build>/kmod/kbuild/,
  // where <build> holds CMakeCache.txt and is the executable's directory or
  // one of the three above it.  Resolved from where the program is, so no
  // build path is compiled into installed programs.
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  std::string dir(exe, n > 0 ? static_cast<size_t>(n) : 0);
  for (int up = 0; up < 4; up++) {
    size_t slash = dir.rfind('/');
    if (slash == 0 || slash == std::string::npos) break;
    dir.resize(slash);
    if (exists(dir + "/CMakeCache.txt")) {
      if (exists(dir + "/kmod/kbuild/inxpect.ko")) return dir + "/kmod/kbuild/inxpect.ko";
      break;
    }
  }
  // Installed (the inxpect-dkms package): where DKMS puts it for the running
  // kernel, compressed like the kernel's own modules where they are; else
  // wherever depmod knows it (`modinfo -n inxpect`: make modules_install).
  std::string lib = "/lib/modules/" + kernel_release() + "/";
  for (const char* suffix : {"", ".xz", ".zst", ".gz"})
    if (exists(lib + "updates/dkms/inxpect.ko" + suffix))
      return lib + "updates/dkms/inxpect.ko" + suffix;
  std::ifstream dep(lib + "modules.dep");
  for (std::string line; std::getline(dep, line);) {
    std::string path = line.substr(0, line.find(':'));
    std::string base = path.substr(path.rfind('/') + 1);
    if (base.rfind("inxpect.ko", 0) == 0 && exists(path[0] == '/' ? path : lib + path))
      return path[0] == '/' ? path : lib + path;
  }
  return "";
}

std::string kmod_unavailable_reason() {
  if (exists(INXPECT_KMOD_DEVICE)) return "";
  if (!exists("/proc/modules")) return "this kernel cannot load modules (no CONFIG_MODULES)";
  if (find_kmod_file().empty())
    return "inxpect.ko was not found for kernel " + kernel_release() +
           " (apt install inxpect-dkms and this kernel's headers, or set "
           "INXPECT_KMOD=/path/to/inxpect.ko)";
  return "";
}

bool kmod_available() { return kmod_unavailable_reason().empty(); }

uint32_t kmod_slot(const std::vector<Event>& events, size_t e) {
  uint32_t slot = 0;
  for (size_t i = 0; i < e; i++) slot += events[i].source == Source::KfPmc;
  return slot;
}

KmodCounters::KmodCounters(const std::vector<Event>& events) {
  if (!exists(INXPECT_KMOD_DEVICE)) {
    std::string ko = find_kmod_file();
    if (ko.empty())
      throw Error(
          "the inxpect kernel module is not loaded and inxpect.ko was not found for kernel " +
              kernel_release() +
              " (apt install inxpect-dkms and this kernel's headers, or set "
              "INXPECT_KMOD=/path/to/inxpect.ko)",
          Errc::Unsupported);
    loaded_here_ = load_module(ko);
  }
  // Without its BTF the kernel cannot resolve the kfuncs, and the verifier
  // would later blame the program instead.
  if (!exists("/sys/kernel/btf/inxpect")) {
    if (loaded_here_) unload_module();
    throw Error(
        "the inxpect module is loaded but has no BTF (/sys/kernel/btf/inxpect): "
        "rebuild it with pahole against this kernel's headers",
        Errc::Unsupported);
  }
  std::vector<const Event*> pmc;
  for (const Event& e : events)
    if (e.source == Source::KfPmc) pmc.push_back(&e);
  if (pmc.empty()) return;
  try {
    Fd fd = open_device();
    inxpect_kmod_info info{};
    if (ioctl(fd.get(), INXPECT_KMOD_IOC_INFO, &info))
      throw errno_error("cannot query " INXPECT_KMOD_DEVICE, errno);
    if (!info.pmu_present)
      throw Error("no hardware PMU: '" + pmc[0]->name +
                      "' cannot be counted on this machine (the 'tsc' event still works)",
                  Errc::Unsupported);
    inxpect_kmod_config cfg{};
    cfg.nr_events = static_cast<uint32_t>(pmc.size());
    for (size_t k = 0; k < pmc.size(); k++) cfg.ev[k] = {pmc[k]->perf_type, 0, pmc[k]->perf_config};
    if (ioctl(fd.get(), INXPECT_KMOD_IOC_SET_EVENTS, &cfg)) {
      int err = errno;
      for (size_t k = 0; k < pmc.size(); k++)
        if (cfg.err[k]) throw refusal(*pmc[k], cfg.err[k]);
      throw errno_error("cannot configure the module's counters", err);
    }
  } catch (...) {
    if (loaded_here_) unload_module();
    throw;
  }
}

KmodCounters::~KmodCounters() {
  if (loaded_here_) unload_module();
}

}  // namespace inxpect
