#include "formats.h"
#include "libinxpect/json_writer.h"

namespace inxpect {
namespace {

// Calibrated figures and the raw ones they came from, per event; the
// quantiles of event 0 when a histogram is given.
void stats(JsonWriter& w, const SectionStats& s, const EventFigures& incl, const EventFigures* excl,
           const Histogram* hist, const Report& r) {
  w.field("measured", s.count).field("executions", estimated_executions(s.count, r.sample_rate));
  w.field("failed_reads", s.bad).key("events").begin_object();
  for (size_t e = 0; e < r.events.size(); e++) {
    w.key(r.events[e].name).begin_object();
    if (s.count) {
      w.field("mean", incl[e].mean);
      if (excl) w.field("exclusive_mean", (*excl)[e].mean);
      w.field("min", incl[e].min).field("max", incl[e].max).field("sum", s.ev[e].sum);
      w.field("raw_mean", s.mean(static_cast<unsigned>(e))).field("raw_min", s.ev[e].min);
      w.field("raw_max", s.ev[e].max);
      if (e == 0 && hist)
        for (auto [name, q] : {std::pair{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}})
          w.field(name, row_quantile(*hist, s, incl[0], q));
    } else {
      w.key("mean").null().key("min").null().key("max").null().field("sum", 0);
      w.key("raw_mean").null().key("raw_min").null().key("raw_max").null();
    }
    w.end_object();
  }
  w.end_object();
}

void histogram(JsonWriter& w, const Histogram& h) {
  // Non-empty buckets only: [low, high, count].
  w.key("histogram").begin_array();
  for (unsigned b = 0; b < h.size(); b++)
    if (h[b]) w.begin_array().value(bucket_low(b)).value(bucket_high(b)).value(h[b]).end_array();
  w.end_array();
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
    const CalibrationCost &in = r.calibration->instrumented, &hand = r.calibration->hand;
    for (size_t e = 0; e < r.events.size(); e++) {
      w.key(r.events[e].name).begin_object().field("fixed", in.fixed[e]);
      w.field("nested", in.nested[e]).field("spread", in.spread[e]);
      w.field("fixed_hand", hand.fixed[e]).field("nested_hand", hand.nested[e]).end_object();
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
  w.key("not_recorded")
      .begin_object()
      .field("too_deep", r.health.overflow)
      .field("no_room", r.health.lost)
      .field("unmatched_end", r.health.unmatched)
      .end_object();
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
    stats(w, row.stats, row.fig, &row.excl, &row.hist, r);
    w.field("share_percent", row.share);
    for (const Derived& d : r.derived) w.field(d.name, d.values[i]);
    histogram(w, row.hist);
    if (r.per_cpu) {
      w.key("per_cpu").begin_array();
      for (size_t cpu = 0; cpu < row.per_cpu.size(); cpu++) {
        w.begin_object().field("cpu", cpu);
        stats(w, row.per_cpu[cpu], row.per_cpu_fig[cpu], nullptr, nullptr, r);
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array().key("paths").begin_array();
  for (size_t i = 0; i < r.paths.size(); i++) {
    const PathRow& p = r.paths[i];
    w.line_break().begin_object().field("index", i).field("path", p.path);
    w.field("section", p.section.name).key("section_id");
    if (p.section.file.empty())
      w.null();
    else
      w.value(p.section.id);
    w.key("parent");
    if (p.parent >= 0)
      w.value(p.parent);
    else
      w.null();
    w.field("depth", p.depth);
    stats(w, p.stats, p.fig.incl, &p.fig.excl, &p.hist, r);
    w.field("share_percent", p.share);
    w.end_object();
  }
  w.end_array().end_object();
  out << "\n";
}

}  // namespace inxpect
