#include <cstdio>
#include <string>
#include <vector>

#include "formats.h"
#include "libinxpect/test_run.h"

namespace inxpect {
namespace {

std::string fixed(double v, int prec = 1) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", prec, v);
  return buf;
}

// Columns are sized to their widest cell; the first two are left-aligned.
class Grid {
 public:
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out) const {
    std::vector<size_t> w;
    for (const auto& r : rows_)
      for (size_t c = 0; c < r.size(); c++) {
        if (w.size() <= c) w.push_back(0);
        w[c] = std::max(w[c], r[c].size());
      }
    for (const auto& r : rows_) {
      std::string line;
      for (size_t c = 0; c < r.size(); c++) {
        std::string pad(w[c] - r[c].size(), ' ');
        line += (c == 1 || c == 2) ? r[c] + pad : pad + r[c];
        line += "  ";
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out << line << "\n";
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

void event_cells(std::vector<std::string>& row, const SectionStats& s, const EventFigures& f,
                 size_t nev) {
  for (size_t e = 0; e < nev; e++) {
    bool any = s.count > 0;
    row.push_back(any ? fixed(f[e].mean) : "-");
    row.push_back(any ? fixed(f[e].min) : "-");
    row.push_back(any ? fixed(f[e].max) : "-");
  }
}

}  // namespace

void TableFormatter::write(const Report& r, std::ostream& out) const {
  out << "inxpect: " << r.object << "  program " << r.program << "  backend " << r.backend
      << "  sampling 1/" << r.sample_rate << "\n";
  out << "events:";
  for (const Event& e : r.events) out << " " << e.name << " (" << source_name(e.source) << ")";
  out << "\n";
  if (r.packets) {
    out << "runs: " << r.runs << " (" << r.packets << " packets x " << (r.runs / r.packets) << ")";
    if (r.program_ns_per_run)
      out << "  program " << fixed(*r.program_ns_per_run) << " ns/run (kernel timing)";
    out << "\n";
  }
  if (r.interval_s > 0) out << "interval: " << fixed(r.interval_s, 2) << " s\n";
  if (!r.actions.empty()) {
    out << "actions:";
    for (const auto& [name, n] : r.actions) out << " " << name << " " << n;
    out << "\n";
  }
  if (r.calibration) {
    bool call = false;
    for (const ReportRow& row : r.rows) call |= row.section.out_of_line;
    const CalibrationCost& c = call ? r.calibration->out_of_line : r.calibration->inlined;
    out << "calibrated: less the profiler's own cost per section (";
    for (size_t e = 0; e < r.events.size(); e++)
      out << (e ? ", " : "") << r.events[e].name << " " << fixed(c.fixed[e]) << " +"
          << fixed(c.nested[e]) << " per nested section";
    out << (call ? ", out-of-line START/END" : "") << "); --no-calibrate for raw figures\n";
  }
  for (const std::string& n : r.notes) out << "note: " << n << "\n";
  out << "\n";
  if (r.rows.empty()) {
    out << "(the object has no InXpect sections)\n";
    return;
  }
  Grid g;
  std::vector<std::string> head{"id", "section", "location", "measured", "est.runs"};
  for (const Event& e : r.events) {
    head.push_back(e.name + " mean");
    head.push_back("min");
    head.push_back("max");
  }
  head.push_back("share");
  for (const Derived& d : r.derived) head.push_back(d.name);
  g.add(head);
  for (size_t i = 0; i < r.rows.size(); i++) {
    const ReportRow& row = r.rows[i];
    std::vector<std::string> cells{
        std::to_string(row.section.id),
        std::string(2 * size_t{row.section.depth}, ' ') + row.section.name,
        row.section.file + ":" + std::to_string(row.section.line), std::to_string(row.stats.count),
        std::to_string(row.executions)};
    event_cells(cells, row.stats, row.fig, r.events.size());
    cells.push_back(fixed(row.share) + "%");
    for (const Derived& d : r.derived) cells.push_back(fixed(d.values[i], 2));
    g.add(cells);
    for (size_t cpu = 0; cpu < row.per_cpu.size(); cpu++) {
      const SectionStats& s = row.per_cpu[cpu];
      if (!s.count) continue;
      std::vector<std::string> c{
          "", std::string(2 * row.section.depth + 2, ' ') + "cpu" + std::to_string(cpu), "",
          std::to_string(s.count), std::to_string(estimated_executions(s.count, r.sample_rate))};
      event_cells(c, s, row.per_cpu_fig[cpu], r.events.size());
      g.add(c);
    }
  }
  g.print(out);
  bool bad = false;
  for (const ReportRow& row : r.rows) bad |= row.stats.bad > 0;
  if (bad) {
    out << "\ncounter reads that failed (those executions are not counted):";
    for (const ReportRow& row : r.rows)
      if (row.stats.bad) out << " " << row.section.name << "=" << row.stats.bad;
    out << "\n";
  }
}

}  // namespace inxpect
