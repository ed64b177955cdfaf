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

void rows(std::ostream& out, const Report& r, const ReportRow& row, const std::string& cpu,
          const SectionStats& s, const EventFigures& f) {
  const Section& sec = row.section;
  for (size_t e = 0; e < r.events.size(); e++) {
    out << sec.id << "," << field(sec.name) << ","
        << (sec.parent >= 0 ? std::to_string(sec.parent) : "") << "," << field(sec.file) << ","
        << sec.line << "," << cpu << "," << s.count << ","
        << estimated_executions(s.count, r.sample_rate) << "," << field(r.events[e].name) << ",";
    if (s.count)
      out << num(f[e].mean) << "," << num(f[e].min) << "," << num(f[e].max) << "," << s.ev[e].sum
          << "," << num(s.mean(e)) << "," << s.ev[e].min << "," << s.ev[e].max;
    else
      out << ",,,0,,,";
    out << "," << (cpu == "all" ? num(row.share) : "") << "\n";
  }
}

}  // namespace

void CsvFormatter::write(const Report& r, std::ostream& out) const {
  out << "id,section,parent,file,line,cpu,measured,executions,event,mean,min,max,sum,raw_mean,raw_"
         "min,raw_max,"
         "share_percent\n";
  for (const ReportRow& row : r.rows) {
    rows(out, r, row, "all", row.stats, row.fig);
    for (size_t cpu = 0; cpu < row.per_cpu.size(); cpu++)
      rows(out, r, row, std::to_string(cpu), row.per_cpu[cpu], row.per_cpu_fig[cpu]);
  }
}

}  // namespace inxpect
