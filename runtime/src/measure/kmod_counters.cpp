#include "kmod_counters.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "inxpect/kmod_uapi.h"
#include "libinxpect/error.h"
#include "libinxpect/kmod_claim.h"
#include "libinxpect/probe.h"

namespace inxpect {
namespace {

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

class Device : public KmodDevice {
 public:
  explicit Device(int fd) : fd_(fd) {}
  int info(inxpect_kmod_info* out) override {
    return ioctl(fd_, INXPECT_KMOD_IOC_INFO, out) ? -errno : 0;
  }
  int set_events(inxpect_kmod_config* cfg) override {
    return ioctl(fd_, INXPECT_KMOD_IOC_SET_EVENTS, cfg) ? -errno : 0;
  }

 private:
  int fd_;
};

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

}  // namespace

bool kmod_available() { return kmod_loaded() && exists("/sys/kernel/btf/inxpect"); }

std::string kmod_unavailable_reason() {
  if (kmod_available()) return "";
  if (kmod_loaded())
    return "the inxpect module is loaded but has no BTF (/sys/kernel/btf/inxpect): rebuild it "
           "with pahole against this kernel's headers";
  if (!exists("/proc/modules")) return "this kernel cannot load modules (no CONFIG_MODULES)";
  return "the inxpect module is not loaded (--backend kmod or 'inxpect kmod load' loads it)";
}

uint32_t kmod_slot(const std::vector<Event>& events, size_t e) {
  uint32_t slot = 0;
  for (size_t i = 0; i < e; i++) slot += events[i].source == Source::KfPmc;
  return slot;
}

KmodCounters::KmodCounters(const std::vector<Event>& events, std::shared_ptr<KmodLease> lease)
    : lease_(lease ? std::move(lease) : KmodLease::if_loaded()) {
  if (!lease_->held())
    throw Error(
        "the inxpect kernel module is not loaded (--backend kmod or 'inxpect kmod load' "
        "loads it)",
        Errc::Unsupported);
  // Without its BTF the kernel cannot resolve the kfuncs, and the verifier
  // would later blame the program instead.
  if (!exists("/sys/kernel/btf/inxpect"))
    throw Error(
        "the inxpect module is loaded but has no BTF (/sys/kernel/btf/inxpect): "
        "rebuild it with pahole against this kernel's headers",
        Errc::Unsupported);
  for (const Event& e : events)
    if (e.source == Source::KfPmc) pmc_.push_back(e);
  if (pmc_.empty()) return;
  // Held open for the whole run: the module ties the counters to it.
  dev_ = open_device();
  Device dev(dev_.get());
  claim_counters(dev, pmc_, lease_->others_hold());
}

KmodCounters::~KmodCounters() {
  if (!dev_) return;
  Device dev(dev_.get());
  release_counters(dev, pmc_, lease_->others_hold());
}

}  // namespace inxpect
