#include "libinxpect/calibration.h"

#include <algorithm>

namespace inxpect {
namespace {

// Whether section `s` is nested in `id`, at any depth.
bool nested_in(const SectionTable& table, const Section& s, uint32_t id) {
  for (int p = s.parent; p >= 0; p = table.sections()[p].parent)
    if (static_cast<uint32_t>(p) == id) return true;
  return false;
}

}  // namespace

EventFigures section_figures(const SectionTable& table, uint32_t id,
                             const std::vector<SectionStats>& stats, const Calibration* cal,
                             unsigned nr_events) {
  const Section& sec = table.sections().at(id);
  const SectionStats& raw = stats.at(id);
  EventFigures f;
  if (!raw.count) return f;
  for (unsigned e = 0; e < nr_events && e < INXPECT_MAX_EVENTS; e++) {
    double cost = 0;
    if (cal) {
      cost = cal->of(sec).fixed[e];
      for (const Section& d : table.sections())
        if (nested_in(table, d, id))
          cost += static_cast<double>(stats.at(d.id).count) / static_cast<double>(raw.count) *
                  cal->of(d).nested[e];
    }
    auto less = [&](double v) { return std::max(0.0, v - cost); };
    f[e] = Figures{less(raw.mean(e)), less(static_cast<double>(raw.ev[e].min)),
                   less(static_cast<double>(raw.ev[e].max))};
  }
  return f;
}

}  // namespace inxpect
