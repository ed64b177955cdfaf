// `inxpect diff`: two reports, section by section.
#include "libinxpect/diff.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "libinxpect/error.h"

namespace inxpect {
namespace {

std::vector<double> samples(const ReportRow& row, const DiffOptions& o) {
  std::vector<double> v;
  // Inclusive event 0: the trimmed means, where the run kept them.
  if (!o.exclusive && o.event == 0 && row.batches_trimmed.size() == row.batch_measured.size() &&
      !row.batches_trimmed.empty()) {
    for (size_t k = 0; k < row.batches_trimmed.size(); k++)
      if (row.batch_measured[k]) v.push_back(row.batches_trimmed[k]);
    return v;
  }
  const auto& figs = o.exclusive ? row.batches_excl : row.batches;
  for (size_t k = 0; k < figs.size(); k++)
    if (k < row.batch_measured.size() && row.batch_measured[k]) v.push_back(figs[k][o.event].mean);
  return v;
}

bool has_hist(const Histogram& h) {
  return std::any_of(h.begin(), h.end(), [](uint64_t n) { return n > 0; });
}

}  // namespace

Diff diff_reports(const Report& a, const Report& b, const DiffOptions& o) {
  if (o.event >= a.events.size() || o.event >= b.events.size())
    throw Error("diff: no event " + std::to_string(o.event) + " in both reports", Errc::Usage);
  const Event& ea = a.events[o.event];
  if (ea.name != b.events[o.event].name)
    throw Error("diff: the runs measured different events (" + ea.name + ", " +
                    b.events[o.event].name + ")",
                Errc::BadInput);
  Diff d;
  d.event = ea.name;
  d.unit = ea.unit;
  if (a.program != b.program)
    d.notes.push_back("different programs: " + a.program + ", " + b.program);
  if (!a.calibration != !b.calibration)
    d.notes.push_back(
        "one run is calibrated and the other is not: the means differ by the "
        "profiler's own cost");
  std::map<std::string, const ReportRow*> in_b;
  for (const ReportRow& row : b.rows) in_b[row.section.name] = &row;
  for (const ReportRow& ra : a.rows) {
    auto it = in_b.find(ra.section.name);
    if (it == in_b.end()) {
      d.only_a.push_back(ra.section.name);
      continue;
    }
    const ReportRow& rb = *it->second;
    in_b.erase(it);
    SectionDiff s;
    s.name = ra.section.name;
    if (!ra.stats.count || !rb.stats.count) {
      s.test = "none";
      s.a = ra.stats.count ? (o.exclusive ? ra.excl : ra.fig)[o.event].mean : 0;
      s.b = rb.stats.count ? (o.exclusive ? rb.excl : rb.fig)[o.event].mean : 0;
      d.sections.push_back(s);
      continue;
    }
    s.a = (o.exclusive ? ra.excl : ra.fig)[o.event].mean;
    s.b = (o.exclusive ? rb.excl : rb.fig)[o.event].mean;
    s.change = s.a != 0 ? 100 * (s.b / s.a - 1) : 0;
    std::vector<double> xa = samples(ra, o), xb = samples(rb, o);
    if (xa.size() >= 3 && xb.size() >= 3) {
      s.test = "batches";
      s.a = median(xa);
      s.b = median(xb);
      s.change = s.a != 0 ? 100 * (s.b / s.a - 1) : 0;
      s.na = xa.size();
      s.nb = xb.size();
      s.p = mann_whitney_p(xa, xb);
      Interval ci = bootstrap_change(xa, xb);
      s.ci = Interval{100 * ci.low, 100 * ci.high};
      bool excludes_zero = s.ci.low > 0 || s.ci.high < 0;
      s.significant = s.p < o.alpha && excludes_zero && std::fabs(s.change) >= o.threshold;
    } else if (o.event == 0 && !o.exclusive && has_hist(ra.hist) && has_hist(rb.hist)) {
      s.test = "histogram";
      s.na = static_cast<size_t>(std::accumulate(ra.hist.begin(), ra.hist.end(), uint64_t{0}));
      s.nb = static_cast<size_t>(std::accumulate(rb.hist.begin(), rb.hist.end(), uint64_t{0}));
      s.p = mann_whitney_hist_p(ra.hist, rb.hist);
      s.significant = s.p < o.alpha && std::fabs(s.change) >= o.threshold;
    } else {
      s.test = "none";
    }
    d.sections.push_back(s);
  }
  for (const ReportRow& rb : b.rows)
    if (in_b.count(rb.section.name)) d.only_b.push_back(rb.section.name);
  bool any_batches = a.batches >= 3 && b.batches >= 3;
  if (!any_batches)
    d.notes.push_back(
        "without batches in both runs (inxpect run --batches K) the test is on "
        "the histograms, where every execution is a sample: only the threshold "
        "keeps noise from being significant");
  return d;
}

}  // namespace inxpect
