#include "libinxpect/kmod_claim.h"

#include <cerrno>
#include <cstring>

#include "libinxpect/error.h"

namespace inxpect {
namespace {

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

inxpect_kmod_config config_of(const std::vector<Event>& pmc) {
  inxpect_kmod_config cfg;
  std::memset(&cfg, 0, sizeof(cfg));
  cfg.nr_events = static_cast<uint32_t>(pmc.size());
  for (size_t k = 0; k < pmc.size() && k < INXPECT_MAX_EVENTS; k++)
    cfg.ev[k] = {pmc[k].perf_type, 0, pmc[k].perf_config};
  return cfg;
}

bool same_events(const inxpect_kmod_info& info, const inxpect_kmod_config& cfg) {
  if (info.nr_slots != cfg.nr_events || info.cfg_flags != cfg.flags) return false;
  for (uint32_t k = 0; k < cfg.nr_events && k < INXPECT_MAX_EVENTS; k++)
    if (info.ev[k].type != cfg.ev[k].type || info.ev[k].config != cfg.ev[k].config ||
        info.ev[k].flags != cfg.ev[k].flags)
      return false;
  return true;
}

std::string configured(const inxpect_kmod_info& info) {
  std::string s;
  for (uint32_t k = 0; k < info.nr_slots && k < INXPECT_MAX_EVENTS; k++)
    s += (s.empty() ? "" : ", ") + perf_event_name(info.ev[k].type, info.ev[k].config);
  return s.empty() ? "none" : s;
}

inxpect_kmod_info query(KmodDevice& dev) {
  inxpect_kmod_info info;
  std::memset(&info, 0, sizeof(info));
  if (int err = dev.info(&info)) {
    if (err == -ENOTTY)
      throw Error(
          "the loaded inxpect module does not speak this inxpect's control interface (load the "
          "module built with it)",
          Errc::Unsupported, ENOTTY);
    throw errno_error("cannot query " INXPECT_KMOD_DEVICE, err);
  }
  return info;
}

Error held_elsewhere(const inxpect_kmod_info& info, const std::vector<Event>& pmc) {
  std::string want;
  for (const Event& e : pmc) want += (want.empty() ? "" : ", ") + e.name;
  return Error("the module's counters are in use by another process with other events (" +
                   configured(info) + "; this run asks for " + want +
                   "): wait for it to end, or ask for the same events",
               Errc::Unsupported, EBUSY);
}

}  // namespace

bool claim_counters(KmodDevice& dev, const std::vector<Event>& pmc, bool others_use_module) {
  if (pmc.empty()) return false;
  inxpect_kmod_info info = query(dev);
  if (!info.pmu_present)
    throw Error("no hardware PMU: '" + pmc[0].name +
                    "' cannot be counted on this machine (the 'tsc' event still works)",
                Errc::Unsupported);
  inxpect_kmod_config cfg = config_of(pmc);
  if (info.abi_version < 2 && info.nr_slots > 0) {
    // One configuration for everybody: share it, or leave it to its owner.
    if (same_events(info, cfg)) return false;
    if (others_use_module) throw held_elsewhere(info, pmc);
  }
  if (int err = dev.set_events(&cfg)) {
    for (size_t k = 0; k < pmc.size() && k < INXPECT_MAX_EVENTS; k++)
      if (cfg.err[k]) throw refusal(pmc[k], cfg.err[k]);
    // No event failed: the request itself was refused.
    if (err == -EBUSY) throw held_elsewhere(query(dev), pmc);
    throw errno_error("cannot configure the module's counters", err);
  }
  return true;
}

void release_counters(KmodDevice& dev, const std::vector<Event>& pmc,
                      bool others_use_module) noexcept {
  inxpect_kmod_info info;
  std::memset(&info, 0, sizeof(info));
  if (dev.info(&info)) return;
  if (info.abi_version < 2 && (others_use_module || !same_events(info, config_of(pmc)))) return;
  inxpect_kmod_config none;
  std::memset(&none, 0, sizeof(none));
  dev.set_events(&none);
}

}  // namespace inxpect
