#include "libinxpect/calibration.h"

#include <algorithm>

namespace inxpect {
namespace {

const CalibrationCost& cost_of(const PathNode& n, const Calibration& cal) {
  return n.section && n.section->hand ? cal.hand : cal.instrumented;
}

// The inclusive mean of `n` for event e, calibrated.
double inclusive(const PathNode& n, const Calibration* cal, unsigned e) {
  const SectionStats& s = n.path->stats;
  if (!s.count) return 0;
  double v = s.mean(e);
  if (cal) {
    v -= cost_of(n, *cal).fixed[e];
    for (const PathNode* c : n.children)
      v -= static_cast<double>(c->path->stats.count) / static_cast<double>(s.count) *
           cost_of(*c, *cal).nested[e];
  }
  return std::max(0.0, v);
}

}  // namespace

PathFigures path_figures(const PathNode& node, const Calibration* cal, unsigned nr_events) {
  PathFigures f;
  const SectionStats& s = node.path->stats;
  if (!s.count) return f;
  for (unsigned e = 0; e < nr_events && e < INXPECT_MAX_EVENTS; e++) {
    double incl = inclusive(node, cal, e), inner = 0;
    for (const PathNode* c : node.children)
      inner += static_cast<double>(c->path->stats.count) / static_cast<double>(s.count) *
               inclusive(*c, cal, e);
    // A parent holds its children: calibration noise never puts it below them.
    incl = std::max(incl, inner);
    double cost = std::max(0.0, s.mean(e) - incl);
    auto less = [&](double v) { return std::max(0.0, v - cost); };
    f.incl[e] = Figures{incl, less(static_cast<double>(s.ev[e].min)),
                        less(static_cast<double>(s.ev[e].max))};
    f.excl[e] = Figures{std::max(0.0, incl - inner), f.incl[e].min, f.incl[e].max};
  }
  return f;
}

}  // namespace inxpect
