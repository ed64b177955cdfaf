#include <cmath>
#include <cstdio>

#include "format/formats.h"
#include "libinxpect/json.h"

namespace inxpect {
namespace {

std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

void stats(std::ostream& out, const SectionStats& s, const EventFigures& f, const Report& r) {
  out << "\"measured\":" << s.count << ",\"executions\":" << estimated_executions(s.count, r.sample_rate)
      << ",\"failed_reads\":" << s.bad << ",\"events\":{";
  for (size_t e = 0; e < r.events.size(); e++) {
    out << (e ? "," : "") << json_quote(r.events[e].name) << ":{";
    if (s.count)
      out << "\"mean\":" << num(f[e].mean) << ",\"min\":" << num(f[e].min) << ",\"max\":" << num(f[e].max)
          << ",\"sum\":" << s.ev[e].sum << ",\"raw_mean\":" << num(s.mean(e)) << ",\"raw_min\":" << s.ev[e].min
          << ",\"raw_max\":" << s.ev[e].max;
    else
      out << "\"mean\":null,\"min\":null,\"max\":null,\"sum\":0,\"raw_mean\":null,\"raw_min\":null,"
             "\"raw_max\":null";
    out << "}";
  }
  out << "}";
}

}  // namespace

std::string json_quote(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          o += buf;
        } else {
          o += c;
        }
    }
  }
  return o + "\"";
}

void JsonFormatter::write(const Report& r, std::ostream& out) const {
  out << "{\"object\":" << json_quote(r.object) << ",\"program\":" << json_quote(r.program)
      << ",\"backend\":" << json_quote(r.backend) << ",\"sample_rate\":" << r.sample_rate << ",\"events\":[";
  for (size_t e = 0; e < r.events.size(); e++)
    out << (e ? "," : "") << "{\"name\":" << json_quote(r.events[e].name) << ",\"unit\":" << json_quote(r.events[e].unit)
        << ",\"source\":" << json_quote(source_name(r.events[e].source)) << "}";
  out << "],\"calibration\":";
  if (r.calibration) {
    out << "{";
    for (size_t e = 0; e < r.events.size(); e++) {
      const CalibrationCost &in = r.calibration->inlined, &call = r.calibration->out_of_line;
      out << (e ? "," : "") << json_quote(r.events[e].name) << ":{\"fixed\":" << num(in.fixed[e])
          << ",\"nested\":" << num(in.nested[e]) << ",\"fixed_call\":" << num(call.fixed[e])
          << ",\"nested_call\":" << num(call.nested[e]) << "}";
    }
    out << "}";
  } else {
    out << "null";
  }
  if (r.packets) {
    out << ",\"packets\":" << r.packets << ",\"runs\":" << r.runs;
    if (r.program_ns_per_run) out << ",\"program_ns_per_run\":" << num(*r.program_ns_per_run);
  }
  if (r.interval_s > 0) out << ",\"interval_s\":" << num(r.interval_s);
  out << ",\"actions\":{";
  bool first = true;
  for (const auto& [name, n] : r.actions) {
    out << (first ? "" : ",") << json_quote(name) << ":" << n;
    first = false;
  }
  out << "},\"notes\":[";
  for (size_t i = 0; i < r.notes.size(); i++) out << (i ? "," : "") << json_quote(r.notes[i]);
  out << "],\"sections\":[";
  for (size_t i = 0; i < r.rows.size(); i++) {
    const ReportRow& row = r.rows[i];
    const Section& s = row.section;
    out << (i ? "," : "") << "\n{\"id\":" << s.id << ",\"name\":" << json_quote(s.name) << ",\"file\":" << json_quote(s.file)
        << ",\"line\":" << s.line << ",\"end_line\":" << s.end_line << ",\"parent\":";
    if (s.parent >= 0) out << s.parent;
    else out << "null";
    out << ",\"depth\":" << s.depth << ",";
    stats(out, row.stats, row.fig, r);
    out << ",\"share_percent\":" << num(row.share);
    for (const Derived& d : r.derived) out << "," << json_quote(d.name) << ":" << num(d.values[i]);
    if (r.per_cpu) {
      out << ",\"per_cpu\":[";
      for (size_t cpu = 0; cpu < row.per_cpu.size(); cpu++) {
        out << (cpu ? "," : "") << "{\"cpu\":" << cpu << ",";
        stats(out, row.per_cpu[cpu], row.per_cpu_fig[cpu], r);
        out << "}";
      }
      out << "]";
    }
    out << "}";
  }
  out << "]}\n";
}

}  // namespace inxpect
