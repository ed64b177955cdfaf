#include "libinxpect/stats.h"

#include <algorithm>

namespace inxpect {

void SectionStats::merge(const SectionStats& o, unsigned nr_events) {
  if (!o.count) {
    bad += o.bad;
    return;
  }
  for (unsigned e = 0; e < nr_events; e++) {
    EventStats& a = ev[e];
    const EventStats& b = o.ev[e];
    a.min = count ? std::min(a.min, b.min) : b.min;
    a.max = std::max(a.max, b.max);
    a.sum += b.sum;
  }
  count += o.count;
  bad += o.bad;
}

SectionStats from_raw(const inxpect_sec& raw, unsigned nr_events) {
  SectionStats s;
  s.count = raw.count;
  s.bad = raw.bad;
  for (unsigned e = 0; e < nr_events && e < INXPECT_MAX_EVENTS; e++)
    s.ev[e] = EventStats{raw.sum[e], ~raw.inv_min[e], raw.max[e]};
  return s;
}

SectionStats since(const SectionStats& now, const SectionStats& before) {
  SectionStats d = now;
  d.count = now.count - before.count;
  d.bad = now.bad - before.bad;
  for (unsigned e = 0; e < INXPECT_MAX_EVENTS; e++) {
    d.ev[e].sum = now.ev[e].sum - before.ev[e].sum;
    if (!d.count) d.ev[e] = EventStats{};
  }
  return d;
}

Snapshot since(const Snapshot& now, const Snapshot& before) {
  Snapshot d = now;
  for (size_t i = 0; i < d.total.size() && i < before.total.size(); i++)
    d.total[i] = since(now.total[i], before.total[i]);
  for (size_t c = 0; c < d.per_cpu.size() && c < before.per_cpu.size(); c++)
    for (size_t i = 0; i < d.per_cpu[c].size() && i < before.per_cpu[c].size(); i++)
      d.per_cpu[c][i] = since(now.per_cpu[c][i], before.per_cpu[c][i]);
  return d;
}

uint64_t estimated_executions(uint64_t measured, uint32_t rate) {
  return measured * std::max<uint32_t>(rate, 1);
}

uint64_t expected_measured(uint64_t runs, uint32_t rate) {
  return runs / std::max<uint32_t>(rate, 1);
}

}  // namespace inxpect
