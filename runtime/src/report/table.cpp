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

// Columns are sized to their widest cell; the second and third are
// left-aligned.
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

std::vector<std::string> header(const Report& r) {
  std::vector<std::string> head{"id", "section", "location", "measured", "est.runs"};
  for (size_t e = 0; e < r.events.size(); e++) {
    head.push_back(r.events[e].name + " incl");
    head.push_back("excl");
    head.push_back("min");
    head.push_back("max");
    if (e == 0) {
      head.push_back("p50");
      head.push_back("p99");
    }
  }
  head.push_back("share");
  return head;
}

void cells(std::vector<std::string>& row, const Report& r, const SectionStats& s,
           const EventFigures& incl, const EventFigures* excl, const Histogram* hist) {
  bool any = s.count > 0;
  for (size_t e = 0; e < r.events.size(); e++) {
    row.push_back(any ? fixed(incl[e].mean) : "-");
    row.push_back(any && excl ? fixed((*excl)[e].mean) : "-");
    row.push_back(any ? fixed(incl[e].min) : "-");
    row.push_back(any ? fixed(incl[e].max) : "-");
    if (e == 0) {
      row.push_back(any && hist ? fixed(row_quantile(*hist, s, incl[0], 0.5)) : "-");
      row.push_back(any && hist ? fixed(row_quantile(*hist, s, incl[0], 0.99)) : "-");
    }
  }
}

std::string location(const Section& s) {
  return s.file.empty() ? "-" : s.file + ":" + std::to_string(s.line);
}

void preamble(const Report& r, std::ostream& out) {
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
    const CalibrationCost& c = r.calibration->instrumented;
    out << "calibrated: less the profiler's own cost per section (";
    for (size_t e = 0; e < r.events.size(); e++)
      out << (e ? ", " : "") << r.events[e].name << " " << fixed(c.fixed[e]) << " +"
          << fixed(c.nested[e]) << " per nested section";
    out << "); --no-calibrate for raw figures\n";
  }
  for (const std::string& n : r.notes) out << "note: " << n << "\n";
  const Health& h = r.health;
  if (h.overflow || h.lost || h.unmatched)
    out << "not recorded: " << h.overflow << " sections nested too deep, " << h.lost
        << " measurements whose path found no room, " << h.unmatched
        << " ENDs without their START\n";
  out << "\n";
}

}  // namespace

void TableFormatter::write(const Report& r, std::ostream& out) const {
  preamble(r, out);
  if (r.rows.empty() && r.paths.empty()) {
    out << "(the object has no InXpect sections)\n";
    return;
  }
  Grid g;
  std::vector<std::string> head = header(r);
  if (r.flat)
    for (const Derived& d : r.derived) head.push_back(d.name);
  g.add(head);
  if (r.flat) {
    for (size_t i = 0; i < r.rows.size(); i++) {
      const ReportRow& row = r.rows[i];
      std::vector<std::string> c{std::to_string(row.section.id), row.section.name,
                                 location(row.section), std::to_string(row.stats.count),
                                 std::to_string(row.executions)};
      cells(c, r, row.stats, row.fig, &row.excl, &row.hist);
      c.push_back(fixed(row.share) + "%");
      for (const Derived& d : r.derived) c.push_back(fixed(d.values[i], 2));
      g.add(c);
      for (size_t cpu = 0; cpu < row.per_cpu.size(); cpu++) {
        const SectionStats& s = row.per_cpu[cpu];
        if (!s.count) continue;
        std::vector<std::string> pc{"", "  cpu" + std::to_string(cpu), "", std::to_string(s.count),
                                    std::to_string(estimated_executions(s.count, r.sample_rate))};
        cells(pc, r, s, row.per_cpu_fig[cpu], nullptr, nullptr);
        g.add(pc);
      }
    }
  } else {
    for (const PathRow& row : r.paths) {
      std::vector<std::string> c{std::to_string(row.section.id),
                                 std::string(2 * size_t{row.depth}, ' ') + row.section.name,
                                 location(row.section), std::to_string(row.stats.count),
                                 std::to_string(row.executions)};
      cells(c, r, row.stats, row.fig.incl, &row.fig.excl, &row.hist);
      c.push_back(fixed(row.share) + "%");
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
