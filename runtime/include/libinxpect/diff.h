// Comparing two runs section by section: the change of each section's mean
// per execution, and whether it is more than noise.  The samples are the
// runs' batches (`inxpect run --batches K`: each section's mean per batch),
// tested with Mann-Whitney's U and a bootstrap interval of the change of
// their medians (a batch hit by an interrupt or a preemption has a mean
// far off; medians and ranks shrug it off, a mean of batches does not); runs
// without batches fall back on the sections' histograms (every execution a
// sample, which finds any shift significant: the threshold decides).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libinxpect/report.h"

namespace inxpect {

// Two-sided p-value of Mann-Whitney's U for samples a and b: exact for
// small samples without ties, else the normal approximation with the tie
// correction.  1 when either sample is empty.
double mann_whitney_p(const std::vector<double>& a, const std::vector<double>& b);
// The same for two histograms of one binning (a bucket's values tie).
double mann_whitney_hist_p(const Histogram& a, const Histogram& b);

// The median (the mean of the middle two for an even count); 0 when empty.
double median(std::vector<double> v);

// A `level` (0.95) bootstrap interval of median(b) / median(a) - 1, from
// `resamples` resamples with a fixed seed (the same samples give the same
// interval).  {0, 0} when either is empty.
struct Interval {
  double low = 0, high = 0;
};
Interval bootstrap_change(const std::vector<double>& a, const std::vector<double>& b,
                          double level = 0.95, unsigned resamples = 2000);

struct DiffOptions {
  unsigned event = 0;      // index into the reports' events
  bool exclusive = false;  // compare exclusive means, not inclusive
  double alpha = 0.01;     // significance level
  double threshold = 5;    // percent: smaller changes are never significant
};

struct SectionDiff {
  std::string name;
  double a = 0, b = 0;  // mean per execution (batches: the median of the batches' means)
  double change = 0;    // percent, b / a - 1
  Interval ci;          // percent; batches only
  double p = 1;
  std::string test;       // "batches", "histogram" or "none"
  size_t na = 0, nb = 0;  // samples
  bool significant = false;
};

struct Diff {
  std::string event, unit;
  std::vector<SectionDiff> sections;  // in A's order, then B's new ones
  std::vector<std::string> only_a, only_b;
  std::vector<std::string> notes;
};

// Throws Error (Errc::BadInput) when the reports measured different events.
Diff diff_reports(const Report& a, const Report& b, const DiffOptions& o);

}  // namespace inxpect
