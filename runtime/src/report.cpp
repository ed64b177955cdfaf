#include "libinxpect/report.h"

#include "format/formats.h"
#include "libinxpect/error.h"

namespace inxpect {
namespace {

// IPC and misses per 1000 instructions, where the events allow them.
std::vector<Derived> derive(const Report& r) {
  auto index = [&](const char* name) -> int {
    for (size_t e = 0; e < r.events.size(); e++)
      if (r.events[e].name == name) return static_cast<int>(e);
    return -1;
  };
  std::vector<Derived> out;
  int ins = index("instructions"), cyc = index("cycles");
  auto ratio = [&](const std::string& name, int num, int den, double scale) {
    Derived d{name, {}};
    for (const ReportRow& row : r.rows) {
      double n = row.fig[num].mean, m = row.fig[den].mean;
      d.values.push_back(m > 0 ? n * scale / m : 0);
    }
    out.push_back(std::move(d));
  };
  if (ins >= 0 && cyc >= 0) ratio("IPC", ins, cyc, 1);
  if (ins >= 0)
    for (const char* miss : {"cache-misses", "branch-misses", "llc-misses"})
      if (int m = index(miss); m >= 0) ratio(std::string(miss) + "/1k-instr", m, ins, 1000);
  return out;
}

}  // namespace

namespace {

// Sections nested in `id` at any depth.
std::vector<uint32_t> descendants(const SectionTable& table, uint32_t id) {
  std::vector<uint32_t> out;
  for (const Section& s : table.sections())
    for (int p = s.parent; p >= 0; p = table.sections()[p].parent)
      if (static_cast<uint32_t>(p) == id) {
        out.push_back(s.id);
        break;
      }
  return out;
}

// A nested section and its figures, for its parent's calibration.
struct Inner {
  const Section* section;
  const SectionStats* stats;
};

// `raw` less the profiler's cost inside it: the fixed part, and each nested
// section's cost times its executions measured per measured execution of
// this one.
EventFigures figures(const Section& sec, const SectionStats& raw, const std::vector<Inner>& inner,
                     const std::optional<Calibration>& cal, size_t nev) {
  EventFigures f;
  for (size_t e = 0; e < nev; e++) {
    double cost = 0;
    if (cal) {
      cost = cal->of(sec).fixed[e];
      for (const Inner& d : inner)
        if (raw.count)
          cost += static_cast<double>(d.stats->count) / static_cast<double>(raw.count) * cal->of(*d.section).nested[e];
    }
    auto less = [&](double v) { return std::max(0.0, v - cost); };
    f[e] = raw.count ? Figures{less(raw.mean(e)), less(static_cast<double>(raw.ev[e].min)),
                               less(static_cast<double>(raw.ev[e].max))}
                     : Figures{};
  }
  return f;
}

}  // namespace

void fill_rows(Report& report, const SectionTable& table, const Snapshot& snap, bool per_cpu) {
  report.rows.clear();
  report.per_cpu = per_cpu;
  size_t nev = report.events.size();
  double top_total = 0;
  for (const Section& s : table.sections()) {
    ReportRow row;
    row.section = s;
    row.stats = snap.total[s.id];
    std::vector<uint32_t> inner = descendants(table, s.id);
    std::vector<Inner> inner_total;
    for (uint32_t d : inner) inner_total.push_back({&table.sections()[d], &snap.total[d]});
    row.fig = figures(s, row.stats, inner_total, report.calibration, nev);
    row.executions = estimated_executions(row.stats.count, report.sample_rate);
    if (per_cpu)
      for (const auto& cpu : snap.per_cpu) {
        std::vector<Inner> inner_cpu;
        for (uint32_t d : inner) inner_cpu.push_back({&table.sections()[d], &cpu[d]});
        row.per_cpu.push_back(cpu[s.id]);
        row.per_cpu_fig.push_back(figures(s, cpu[s.id], inner_cpu, report.calibration, nev));
      }
    if (s.parent < 0) top_total += row.fig[0].mean * static_cast<double>(row.executions);
    report.rows.push_back(std::move(row));
  }
  for (ReportRow& row : report.rows)
    row.share = top_total > 0 ? 100.0 * row.fig[0].mean * static_cast<double>(row.executions) / top_total : 0;
  report.derived = derive(report);
}

std::unique_ptr<Formatter> make_formatter(const std::string& name) {
  if (name == "table") return std::make_unique<TableFormatter>();
  if (name == "json") return std::make_unique<JsonFormatter>();
  if (name == "csv") return std::make_unique<CsvFormatter>();
  throw Error("unknown format '" + name + "' (table, json, csv)");
}

}  // namespace inxpect
