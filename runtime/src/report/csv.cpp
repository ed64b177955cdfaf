#include <cstdio>

#include "formats.h"

namespace inxpect {
namespace {

// RFC 4180: quote fields that hold a comma, quote or newline.
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

// One line per event.  path: "" for a section's sum; cpu: "all" or a number.
void rows(std::ostream& out, const Report& r, const Section& sec, const std::string& path,
          const std::string& cpu, const SectionStats& s, const EventFigures& f,
          const EventFigures* excl, const Histogram* hist, double share) {
  for (size_t e = 0; e < r.events.size(); e++) {
    out << sec.id << "," << field(sec.name) << "," << field(path) << "," << field(sec.file) << ","
        << sec.line << "," << cpu << "," << s.count << ","
        << estimated_executions(s.count, r.sample_rate) << "," << field(r.events[e].name) << ",";
    if (s.count) {
      out << num(f[e].mean) << "," << (excl ? num((*excl)[e].mean) : "") << "," << num(f[e].min)
          << "," << num(f[e].max) << "," << s.ev[e].sum << "," << num(s.mean(e)) << ","
          << s.ev[e].min << "," << s.ev[e].max << ",";
      if (e == 0 && hist)
        out << num(row_quantile(*hist, s, f[0], 0.5)) << ","
            << num(row_quantile(*hist, s, f[0], 0.9)) << ","
            << num(row_quantile(*hist, s, f[0], 0.99));
      else
        out << ",,";
    } else {
      out << ",,,,0,,,,,,";
    }
    out << "," << (cpu == "all" ? num(share) : "") << "\n";
  }
}

}  // namespace

void CsvFormatter::write(const Report& r, std::ostream& out) const {
  out << "id,section,path,file,line,cpu,measured,executions,event,mean,exclusive_mean,min,max,sum,"
         "raw_mean,raw_min,raw_max,p50,p90,p99,share_percent\n";
  for (const ReportRow& row : r.rows) {
    rows(out, r, row.section, "", "all", row.stats, row.fig, &row.excl, &row.hist, row.share);
    for (size_t cpu = 0; cpu < row.per_cpu.size(); cpu++)
      rows(out, r, row.section, "", std::to_string(cpu), row.per_cpu[cpu], row.per_cpu_fig[cpu],
           nullptr, nullptr, 0);
  }
  for (const PathRow& p : r.paths)
    rows(out, r, p.section, p.path, "all", p.stats, p.fig.incl, &p.fig.excl, &p.hist, p.share);
}

}  // namespace inxpect
