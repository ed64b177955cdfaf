#include "libinxpect/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

double bucket_low(unsigned b) {
  if (b < 4) return b;
  unsigned e = b / 4 + 1, sub = b % 4;
  return std::ldexp(1.0, static_cast<int>(e)) + sub * std::ldexp(1.0, static_cast<int>(e) - 2);
}

double bucket_high(unsigned b) {
  if (b < 4) return b + 1;
  unsigned e = b / 4 + 1;
  return bucket_low(b) + std::ldexp(1.0, static_cast<int>(e) - 2);
}

// The middle of the quantile's bucket, not a point interpolated inside it:
// a bucket is at most a quarter of its lower bound wide, so its middle is
// within 12.5% of any value in it, where interpolating assumes the values
// spread evenly and is up to 25% off when they do not (the VM lab's
// hist.*_edges: costs at the bottom of a bucket read 24.7% high).
double quantile(const Histogram& h, double q) {
  uint64_t total = 0;
  for (uint64_t n : h) total += n;
  if (!total) return 0;
  double want = q * static_cast<double>(total), seen = 0;
  for (unsigned b = 0; b < h.size(); b++) {
    seen += static_cast<double>(h[b]);
    if (h[b] && seen >= want) return (bucket_low(b) + bucket_high(b)) / 2;
  }
  return bucket_high(INXPECT_HIST_BUCKETS - 1);
}

PathStats from_node(const inxpect_node& n, unsigned nr_events) {
  PathStats p;
  p.key = n.key;
  p.parent = n.parent;
  p.slot = n.slot;
  p.depth = n.depth;
  p.stats.count = n.count;
  p.stats.bad = n.bad;
  for (unsigned e = 0; e < nr_events && e < INXPECT_MAX_EVENTS; e++)
    p.stats.ev[e] = EventStats{n.sum[e], ~n.inv_min[e], n.max[e]};
  for (unsigned b = 0; b < INXPECT_HIST_BUCKETS; b++) p.hist[b] = n.hist[b];
  return p;
}

void merge_path(std::vector<PathStats>& into, const PathStats& p, unsigned nr_events) {
  auto it = std::lower_bound(into.begin(), into.end(), p.key,
                             [](const PathStats& a, uint64_t key) { return a.key < key; });
  if (it == into.end() || it->key != p.key) {
    into.insert(it, p);
    return;
  }
  it->stats.merge(p.stats, nr_events);
  for (unsigned b = 0; b < INXPECT_HIST_BUCKETS; b++) it->hist[b] += p.hist[b];
}

namespace {

// min and max of event 0 over an interval: the accumulators keep them since
// the start, so they come from the interval's histogram, exact when the
// all-time extreme falls in the interval's first or last bucket.
void interval_extremes(PathStats& q, const SectionStats& all) {
  if (!q.stats.count) return;
  unsigned lo = 0, hi = INXPECT_HIST_BUCKETS - 1;
  while (lo < hi && !q.hist[lo]) lo++;
  while (hi > lo && !q.hist[hi]) hi--;
  if (!q.hist[lo]) return;  // histograms off: the all-time figures stay
  EventStats& e = q.stats.ev[0];
  double min_lo = bucket_low(lo), max_hi = bucket_high(hi);
  e.min =
      static_cast<double>(all.ev[0].min) >= min_lo ? all.ev[0].min : static_cast<uint64_t>(min_lo);
  e.max = static_cast<double>(all.ev[0].max) < max_hi ? all.ev[0].max
                                                      : static_cast<uint64_t>(max_hi) - 1;
}

}  // namespace

Snapshot since(const Snapshot& now, const Snapshot& before, unsigned nr_events) {
  Snapshot d;
  d.health =
      Health{now.health.overflow - before.health.overflow, now.health.lost - before.health.lost,
             now.health.unmatched - before.health.unmatched};
  d.per_cpu.resize(now.per_cpu.size());
  for (size_t c = 0; c < now.per_cpu.size(); c++) {
    const std::vector<PathStats>* old = c < before.per_cpu.size() ? &before.per_cpu[c] : nullptr;
    for (const PathStats& p : now.per_cpu[c]) {
      PathStats q = p;
      if (old) {
        auto it = std::lower_bound(old->begin(), old->end(), p.key,
                                   [](const PathStats& a, uint64_t key) { return a.key < key; });
        if (it != old->end() && it->key == p.key) {
          q.stats = since(p.stats, it->stats);
          for (unsigned b = 0; b < INXPECT_HIST_BUCKETS; b++)
            q.hist[b] = (p.hist[b] - it->hist[b]) & 0xffffffffu;
          interval_extremes(q, p.stats);
        }
      }
      d.per_cpu[c].push_back(q);
      merge_path(d.paths, q, nr_events);
    }
  }
  return d;
}

SectionStats section_total(const Snapshot& snap, const Section& section, unsigned nr_events) {
  SectionStats total;
  for (const PathStats& p : snap.paths)
    if (std::find(section.slots.begin(), section.slots.end(), p.slot) != section.slots.end())
      total.merge(p.stats, nr_events);
  return total;
}

uint64_t estimated_executions(uint64_t measured, uint32_t rate) {
  return measured * std::max<uint32_t>(rate, 1);
}

double sampled_total_error(const SectionStats& raw, const Histogram& hist, uint32_t rate) {
  if (rate <= 1) return 0;
  if (!raw.count) return std::numeric_limits<double>::infinity();
  double n = 0, s1 = 0, s2 = 0;
  for (unsigned b = 0; b < hist.size(); b++) {
    if (!hist[b]) continue;
    double mid = (bucket_low(b) + bucket_high(b)) / 2, k = static_cast<double>(hist[b]);
    n += k;
    s1 += k * mid;
    s2 += k * mid * mid;
  }
  double cv2 = n > 0 && s1 > 0 ? std::max(0.0, s2 * n / (s1 * s1) - 1) : 0;
  double f = 1 - 1.0 / rate, m = static_cast<double>(raw.count);
  return std::sqrt(f * (1.0 / 3 + cv2) / m);
}

}  // namespace inxpect
