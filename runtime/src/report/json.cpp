#include "formats.h"
#include "libinxpect/json_writer.h"

namespace inxpect {
namespace {

void stats(JsonWriter& w, const SectionStats& s, const EventFigures& f, const Report& r) {
  w.field("measured", s.count).field("executions", estimated_executions(s.count, r.sample_rate));
  w.field("failed_reads", s.bad).key("events").begin_object();
  for (size_t e = 0; e < r.events.size(); e++) {
    w.key(r.events[e].name).begin_object();
    if (s.count) {
      w.field("mean", f[e].mean)
          .field("min", f[e].min)
          .field("max", f[e].max)
          .field("sum", s.ev[e].sum);
      w.field("raw_mean", s.mean(static_cast<unsigned>(e))).field("raw_min", s.ev[e].min);
      w.field("raw_max", s.ev[e].max);
    } else {
      w.key("mean").null().key("min").null().key("max").null().field("sum", 0);
      w.key("raw_mean").null().key("raw_min").null().key("raw_max").null();
    }
    w.end_object();
  }
  w.end_object();
}

}  // namespace

void JsonFormatter::write(const Report& r, std::ostream& out) const {
  JsonWriter w(out);
  w.begin_object()
      .field("object", r.object)
      .field("program", r.program)
      .field("backend", r.backend);
  w.field("sample_rate", r.sample_rate).key("events").begin_array();
  for (const Event& e : r.events)
    w.begin_object()
        .field("name", e.name)
        .field("unit", e.unit)
        .field("source", source_name(e.source))
        .end_object();
  w.end_array().key("calibration");
  if (r.calibration) {
    w.begin_object();
    const CalibrationCost &in = r.calibration->inlined, &call = r.calibration->out_of_line;
    for (size_t e = 0; e < r.events.size(); e++) {
      w.key(r.events[e].name)
          .begin_object()
          .field("fixed", in.fixed[e])
          .field("nested", in.nested[e]);
      w.field("fixed_call", call.fixed[e]).field("nested_call", call.nested[e]).end_object();
    }
    w.end_object();
  } else {
    w.null();
  }
  if (r.packets) {
    w.field("packets", r.packets).field("runs", r.runs);
    if (r.program_ns_per_run) w.field("program_ns_per_run", *r.program_ns_per_run);
  }
  if (r.interval_s > 0) w.field("interval_s", r.interval_s);
  w.key("actions").begin_object();
  for (const auto& [name, n] : r.actions) w.field(name, n);
  w.end_object().key("notes").begin_array();
  for (const std::string& n : r.notes) w.value(n);
  w.end_array().key("sections").begin_array();
  for (size_t i = 0; i < r.rows.size(); i++) {
    const ReportRow& row = r.rows[i];
    const Section& s = row.section;
    w.line_break().begin_object().field("id", s.id).field("name", s.name).field("file", s.file);
    w.field("line", s.line).field("end_line", s.end_line).key("parent");
    if (s.parent >= 0)
      w.value(s.parent);
    else
      w.null();
    w.field("depth", s.depth);
    stats(w, row.stats, row.fig, r);
    w.field("share_percent", row.share);
    for (const Derived& d : r.derived) w.field(d.name, d.values[i]);
    if (r.per_cpu) {
      w.key("per_cpu").begin_array();
      for (size_t cpu = 0; cpu < row.per_cpu.size(); cpu++) {
        w.begin_object().field("cpu", cpu);
        stats(w, row.per_cpu[cpu], row.per_cpu_fig[cpu], r);
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array().end_object();
  out << "\n";
}

}  // namespace inxpect
