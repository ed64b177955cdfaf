#include "libinxpect/counters.h"

#include <algorithm>

#include "kmod_counters.h"
#include "libinxpect/error.h"
#include "libinxpect/probe.h"
#include "perf_counters.h"

namespace inxpect {

Counters::Counters(std::vector<Event> events, std::shared_ptr<KmodLease> kmod)
    : events_(std::move(events)) {
  if (events_.empty()) events_ = resolve_events("ktime", Backend::Ktime, false);
  auto uses = [&](auto pred) { return std::any_of(events_.begin(), events_.end(), pred); };
  // One probe, however many events read through the perf helper.
  if (uses([](const Event& e) { return e.source == Source::Perf; }) && !xdp_can_read_perf_events())
    throw Error(
        "this kernel does not allow bpf_perf_event_read_value in XDP programs "
        "(it arrived after Linux 6.12); use --backend ktime or --backend kmod",
        Errc::Unsupported);
  if (uses([](const Event& e) { return e.source == Source::KfTsc || e.source == Source::KfPmc; }))
    kmod_ = std::make_unique<KmodCounters>(events_, std::move(kmod));
  perf_ = std::make_unique<PerfCounters>(events_);
}

Counters::~Counters() = default;

ProbeConfig Counters::probe_config() const {
  ProbeConfig p;
  p.sources.clear();
  for (size_t e = 0; e < events_.size(); e++) {
    p.sources.push_back(events_[e].source);
    p.slots.push_back(kmod_slot(events_, e));
  }
  return p;
}

void Counters::install(const LoadedObject& obj) const { perf_->install(obj); }

std::vector<std::string> Counters::notes() const { return perf_->multiplexing_notes(); }

}  // namespace inxpect
