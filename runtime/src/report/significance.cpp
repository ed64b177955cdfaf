// Two-sample tests for `inxpect diff`: Mann-Whitney's U (exact or normal)
// and a bootstrap interval of the relative change of means.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <utility>

#include "libinxpect/diff.h"

namespace inxpect {
namespace {

double normal_two_sided(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

// U of `a` from weighted values (value, weight, from_a), ties by midrank;
// returns {U_a, tie term sum(t^3 - t)}.
std::pair<double, double> u_statistic(std::vector<std::pair<double, std::pair<double, bool>>> v) {
  std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  double rank = 0, ra = 0, na = 0, ties = 0;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    double w = 0, wa = 0;
    while (j < v.size() && v[j].first == v[i].first) {
      w += v[j].second.first;
      if (v[j].second.second) wa += v[j].second.first;
      j++;
    }
    double mid = rank + (w + 1) / 2;  // midrank of the tied block
    ra += wa * mid;
    na += wa;
    ties += w * w * w - w;
    rank += w;
    i = j;
  }
  return {ra - na * (na + 1) / 2, ties};
}

double normal_p(double u, double n1, double n2, double ties) {
  double n = n1 + n2, mu = n1 * n2 / 2;
  double var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
  if (var <= 0) return 1;
  double d = std::fabs(u - mu) - 0.5;  // continuity correction
  return std::min(1.0, normal_two_sided(std::max(0.0, d) / std::sqrt(var)));
}

// Exact two-sided p of U for sizes n1, n2 without ties: the count of
// arrangements with each U (the classic recurrence).
double exact_p(double u, size_t n1, size_t n2) {
  size_t max_u = n1 * n2;
  // f[i][j][k]: arrangements of i a's and j b's with U = k; rolled over j.
  std::vector<std::vector<double>> prev(n1 + 1, std::vector<double>(max_u + 1, 0)), cur = prev;
  for (size_t i = 0; i <= n1; i++) prev[i][0] = 1;  // j = 0: U = 0
  for (size_t j = 1; j <= n2; j++) {
    for (size_t i = 0; i <= n1; i++) {
      std::fill(cur[i].begin(), cur[i].end(), 0);
      for (size_t k = 0; k <= max_u; k++) {
        // Largest element a b: U unchanged; an a: it beats all j b's.
        double v = prev[i][k];
        if (i > 0 && k >= j) v += cur[i - 1][k - j];
        cur[i][k] = v;
      }
    }
    std::swap(prev, cur);
  }
  const std::vector<double>& f = prev[n1];
  double total = std::accumulate(f.begin(), f.end(), 0.0);
  double lo = std::min(u, static_cast<double>(max_u) - u), tail = 0;
  for (size_t k = 0; k <= max_u && static_cast<double>(k) <= lo + 1e-9; k++) tail += f[k];
  return std::min(1.0, 2 * tail / total);
}

}  // namespace

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  size_t h = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
  double hi = v[h];
  if (v.size() % 2) return hi;
  return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h)) + hi) / 2;
}

double mann_whitney_p(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.empty() || b.empty()) return 1;
  std::vector<std::pair<double, std::pair<double, bool>>> v;
  for (double x : a) v.push_back({x, {1, true}});
  for (double x : b) v.push_back({x, {1, false}});
  auto [u, ties] = u_statistic(v);
  double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
  if (ties == 0 && a.size() * b.size() <= 400) return exact_p(u, a.size(), b.size());
  return normal_p(u, n1, n2, ties);
}

double mann_whitney_hist_p(const Histogram& a, const Histogram& b) {
  std::vector<std::pair<double, std::pair<double, bool>>> v;
  double n1 = 0, n2 = 0;
  for (unsigned k = 0; k < a.size(); k++) {
    if (a[k]) v.push_back({double(k), {double(a[k]), true}});
    if (b[k]) v.push_back({double(k), {double(b[k]), false}});
    n1 += double(a[k]);
    n2 += double(b[k]);
  }
  if (n1 == 0 || n2 == 0) return 1;
  auto [u, ties] = u_statistic(v);
  return normal_p(u, n1, n2, ties);
}

Interval bootstrap_change(const std::vector<double>& a, const std::vector<double>& b, double level,
                          unsigned resamples) {
  if (a.empty() || b.empty()) return {};
  std::mt19937_64 rng(0x1f2e3d4c);
  std::vector<double> changes;
  changes.reserve(resamples);
  std::vector<double> r;
  auto resample_median = [&](const std::vector<double>& v) {
    std::uniform_int_distribution<size_t> pick(0, v.size() - 1);
    r.clear();
    for (size_t k = 0; k < v.size(); k++) r.push_back(v[pick(rng)]);
    return median(r);
  };
  for (unsigned k = 0; k < resamples; k++) {
    double ma = resample_median(a), mb = resample_median(b);
    changes.push_back(ma != 0 ? mb / ma - 1 : 0);
  }
  std::sort(changes.begin(), changes.end());
  auto at = [&](double q) {
    size_t i = static_cast<size_t>(q * static_cast<double>(changes.size() - 1) + 0.5);
    return changes[std::min(i, changes.size() - 1)];
  };
  return {at((1 - level) / 2), at(1 - (1 - level) / 2)};
}

}  // namespace inxpect
