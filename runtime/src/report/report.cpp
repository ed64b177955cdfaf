#include "libinxpect/report.h"

#include "formats.h"
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

void fill_rows(Report& report, const SectionTable& table, const Snapshot& snap, bool per_cpu) {
  report.rows.clear();
  report.per_cpu = per_cpu;
  unsigned nev = static_cast<unsigned>(report.events.size());
  const Calibration* cal = report.calibration ? &*report.calibration : nullptr;
  double top_total = 0;
  for (const Section& s : table.sections()) {
    ReportRow row;
    row.section = s;
    row.stats = snap.total[s.id];
    row.fig = section_figures(table, s.id, snap.total, cal, nev);
    row.executions = estimated_executions(row.stats.count, report.sample_rate);
    if (per_cpu)
      for (const auto& cpu : snap.per_cpu) {
        row.per_cpu.push_back(cpu[s.id]);
        row.per_cpu_fig.push_back(section_figures(table, s.id, cpu, cal, nev));
      }
    if (s.parent < 0) top_total += row.fig[0].mean * static_cast<double>(row.executions);
    report.rows.push_back(std::move(row));
  }
  for (ReportRow& row : report.rows)
    row.share = top_total > 0
                    ? 100.0 * row.fig[0].mean * static_cast<double>(row.executions) / top_total
                    : 0;
  report.derived = derive(report);
}

std::unique_ptr<Formatter> make_formatter(const std::string& name) {
  if (name == "table") return std::make_unique<TableFormatter>();
  if (name == "json") return std::make_unique<JsonFormatter>();
  if (name == "csv") return std::make_unique<CsvFormatter>();
  throw Error("unknown format '" + name + "' (table, json, csv)", Errc::Usage);
}

}  // namespace inxpect
