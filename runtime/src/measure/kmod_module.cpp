// inxpect.ko as the kernel sees it (kmod_module.h).
#include "kmod_module.h"

#include <fcntl.h>
#include <linux/module.h>
#include <lzma.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "libinxpect/error.h"
#include "libinxpect/fd.h"
#include "libinxpect/kmod.h"
#include "libinxpect/trusted_file.h"

namespace inxpect {
namespace {

constexpr char kModuleName[] = "inxpect";

std::string kernel_release() {
  utsname u;
  return uname(&u) == 0 ? u.release : "";
}

// The "vermagic=" string of a module: the kernel release it was built for.
std::string vermagic_of(int fd) {
  std::string data;
  char buf[1 << 16];
  for (off_t at = 0; data.size() < (size_t{64} << 20);) {
    ssize_t n = pread(fd, buf, sizeof(buf), at);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
    at += n;
  }
  size_t at = data.find("vermagic=");
  if (at == std::string::npos) return "";
  size_t end = data.find('\0', at);
  std::string v = data.substr(at + 9, end == std::string::npos ? 0 : end - at - 9);
  return v.substr(0, v.find(' '));
}

bool ends_with(const std::string& s, const char* suffix) {
  size_t n = strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// inxpect.ko.xz (DKMS compresses the module as the kernel's own modules
// are), decompressed from the checked descriptor into a memfd to load: the
// kernel's own decompressor takes only CRC32-checked xz, and Debian 12's
// dkms writes CRC64.
Fd decompressed_xz(int from, const std::string& ko) {
  std::string data;
  char buf[1 << 16];
  for (off_t at = 0;;) {
    ssize_t n = pread(from, buf, sizeof(buf), at);
    if (n < 0) throw errno_error("cannot read " + ko, errno);
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    at += n;
  }
  lzma_stream z = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&z, UINT64_MAX, 0) != LZMA_OK)
    throw Error("cannot decompress " + ko + ": out of memory", Errc::System);
  z.next_in = reinterpret_cast<const uint8_t*>(data.data());
  z.avail_in = data.size();
  Fd fd(memfd_create("inxpect.ko", MFD_CLOEXEC));
  if (!fd) throw errno_error("cannot decompress " + ko + ": memfd_create", errno);
  lzma_ret r = LZMA_OK;
  while (r == LZMA_OK) {
    z.next_out = reinterpret_cast<uint8_t*>(buf);
    z.avail_out = sizeof(buf);
    r = lzma_code(&z, LZMA_FINISH);
    size_t got = sizeof(buf) - z.avail_out;
    if (got && write(fd.get(), buf, got) != static_cast<ssize_t>(got)) {
      lzma_end(&z);
      throw errno_error("cannot decompress " + ko, errno);
    }
  }
  lzma_end(&z);
  if (r != LZMA_STREAM_END) throw Error(ko + " is not a valid xz file", Errc::BadInput);
  return fd;
}

}  // namespace

std::string installed_kmod_path() {
  // Where the package inxpect-dkms has DKMS build it for the running
  // kernel, compressed like the kernel's own modules where they are; else
  // wherever depmod knows it (make modules_install).
  std::string lib = "/lib/modules/" + kernel_release() + "/";
  for (const char* suffix : {"", ".xz", ".zst", ".gz"})
    if (access((lib + "updates/dkms/inxpect.ko" + suffix).c_str(), F_OK) == 0)
      return lib + "updates/dkms/inxpect.ko" + suffix;
  std::ifstream dep(lib + "modules.dep");
  for (std::string line; std::getline(dep, line);) {
    std::string path = line.substr(0, line.find(':'));
    if (path.substr(path.rfind('/') + 1).rfind("inxpect.ko", 0) == 0)
      return path[0] == '/' ? path : lib + path;
  }
  // A `cmake --install` without the package.
  return INXPECT_KMOD_INSTALL_PATH;
}

std::string read_small(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A line of /proc/modules: "inxpect 24576 0 - Live 0xffffffffc0a00000 (OE)".
std::string module_identity() {
  std::ifstream in("/proc/modules");
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string name, size, refs, deps, state, addr;
    if (f >> name >> size >> refs >> deps >> state >> addr && name == kModuleName) return addr;
  }
  return "";
}

unsigned long kernel_taint() {
  std::string t = read_small("/proc/sys/kernel/tainted");
  return std::strtoul(t.c_str(), nullptr, 10);
}

bool insert_module(const std::string& path) {
  std::string ko = path.empty() ? installed_kmod_path() : path;
  if (access(ko.c_str(), F_OK) != 0) {
    if (access("/proc/modules", F_OK) != 0)
      throw Error(
          "this kernel cannot load modules (no CONFIG_MODULES); the kmod backend is unavailable",
          Errc::Unsupported, ENOSYS);
    throw Error("the inxpect module is not loaded, and there is no " + ko +
                    (path.empty() ? " (install inxpect's module, or give --kmod PATH)" : ""),
                Errc::NotFound, ENOENT);
  }
  std::string real;
  Fd fd = open_trusted_file(ko, &real);
  // .ko.xz is decompressed here (see decompressed_xz); .ko.gz and .ko.zst
  // are left to the kernel.
  bool compressed = !ends_with(real, ".ko") && !ends_with(real, ".ko.xz");
  if (ends_with(real, ".ko.xz")) fd = decompressed_xz(fd.get(), real);
  std::string built_for = vermagic_of(fd.get()), running = kernel_release();
  if (!built_for.empty() && built_for != running)
    throw Error(real + " was built for kernel " + built_for + ", this is " + running +
                    " (rebuild it against this kernel's headers)",
                Errc::Unsupported);
  if (syscall(SYS_finit_module, fd.get(), "", compressed ? MODULE_INIT_COMPRESSED_FILE : 0) == 0)
    return true;
  int err = errno;
  switch (err) {
    case EEXIST: return false;
    case ENOSYS:
      throw Error(
          "this kernel cannot load modules (no CONFIG_MODULES); the kmod backend is unavailable",
          Errc::Unsupported, err);
    case EKEYREJECTED:
    case ENOKEY:
      throw errno_error("the kernel refused " + real +
                            ": it loads only signed modules (sign it with a key the kernel "
                            "trusts, see docs/kmod.md)",
                        err, Errc::Unsupported);
    case ENOEXEC:
    case EINVAL:
      throw errno_error(
          "the kernel refused " + real + " (built for another kernel or configuration?)", err,
          Errc::Unsupported);
    default: break;
  }
  throw errno_error("cannot load " + real, err);
}

// The programs that held the kfuncs let go of the module only after an RCU
// grace period, so a refusal is retried for a while.
int remove_module() {
  for (int i = 0; i < 100; i++) {
    if (syscall(SYS_delete_module, kModuleName, O_NONBLOCK) == 0 || errno == ENOENT) return 0;
    if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK) return errno;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return errno;
}

int module_refcount() {
  std::string r = read_small("/sys/module/inxpect/refcnt");
  return r.empty() ? -1 : std::atoi(r.c_str());
}

bool kmod_loaded() { return read_small("/sys/module/inxpect/initstate") == "live\n"; }

}  // namespace inxpect
