// A report read back from its JSON (json.cpp writes it): what the views
// that work from a saved run need.  Figures come back as written:
// calibrated means, raw sums, histograms, batches.
#include <cmath>
#include <limits>

#include "libinxpect/error.h"
#include "libinxpect/json_value.h"
#include "libinxpect/views.h"

namespace inxpect {
namespace {

uint64_t whole(const JsonValue& v) {
  double d = v.number_or(0);
  return d > 0 ? static_cast<uint64_t>(std::llround(d)) : 0;
}

// The figures of one section or path: stats (count, sums), inclusive and
// exclusive means per event.
void figures(const JsonValue& o, const Report& r, SectionStats& s, uint64_t& executions,
             EventFigures& incl, EventFigures& excl) {
  s.count = whole(o["measured"]);
  s.bad = whole(o["failed_reads"]);
  executions = whole(o["executions"]);
  for (size_t e = 0; e < r.events.size() && e < INXPECT_MAX_EVENTS; e++) {
    const JsonValue& ev = o["events"][r.events[e].name];
    incl[e] = Figures{ev["mean"].number_or(0), ev["min"].number_or(0), ev["max"].number_or(0)};
    excl[e].mean = ev["exclusive_mean"].number_or(incl[e].mean);
    excl[e].min = incl[e].min;
    excl[e].max = incl[e].max;
    s.ev[e].sum = whole(ev["sum"]);
    s.ev[e].min = whole(ev["raw_min"]);
    s.ev[e].max = whole(ev["raw_max"]);
  }
}

Histogram histogram(const JsonValue& h) {
  Histogram out{};
  if (h.is_null()) return out;
  for (const JsonValue& b : h.array()) {
    const auto& a = b.array();
    if (a.size() != 3)
      throw Error("report JSON: a histogram bucket is not [low, high, count]", Errc::BadInput);
    double low = a[0].number();
    for (unsigned k = 0; k < INXPECT_HIST_BUCKETS; k++)
      if (bucket_low(k) == low) out[k] = whole(a[2]);
  }
  return out;
}

double error(const JsonValue& o) {
  // null: written for an infinite error (nothing measured under sampling).
  if (!o.has("total_error_percent")) return 0;
  const JsonValue& v = o["total_error_percent"];
  return v.is_null() ? std::numeric_limits<double>::infinity() : v.number() / 100;
}

void batches(const JsonValue& b, const Report& r, ReportRow& row) {
  if (b.is_null()) return;
  for (const JsonValue& n : b["measured"].array()) row.batch_measured.push_back(whole(n));
  size_t k = row.batch_measured.size();
  row.batches.assign(k, EventFigures{});
  row.batches_excl.assign(k, EventFigures{});
  for (size_t e = 0; e < r.events.size() && e < INXPECT_MAX_EVENTS; e++) {
    const JsonValue& ev = b[r.events[e].name];
    if (ev.is_null()) continue;
    for (size_t i = 0; i < k && i < ev["mean"].array().size(); i++) {
      row.batches[i][e].mean = ev["mean"].array()[i].number_or(0);
      row.batches_excl[i][e].mean = ev["exclusive_mean"].array()[i].number_or(0);
    }
    if (e == 0 && !ev["trimmed_mean"].is_null())
      for (const JsonValue& t : ev["trimmed_mean"].array())
        row.batches_trimmed.push_back(t.number_or(0));
  }
}

}  // namespace

Report read_report_json(std::string_view text) {
  JsonValue j = parse_json(text);
  if (j.kind() != JsonValue::Kind::Object || !j.has("sections") || !j.has("events"))
    throw Error(j.has("error")
                    ? "the JSON is an error report: " + j["error"]["message"].string_or("")
                    : "not an inxpect report (no \"sections\" or \"events\")",
                Errc::BadInput);
  Report r;
  r.object = j["object"].string_or("");
  r.program = j["program"].string_or("");
  r.backend = j["backend"].string_or("");
  r.sample_rate = static_cast<uint32_t>(std::max<uint64_t>(1, whole(j["sample_rate"])));
  for (const JsonValue& e : j["events"].array())
    r.events.push_back(Event{e["name"].string(), e["unit"].string_or(""), Source::Ktime});
  if (r.events.empty()) throw Error("report JSON: no events", Errc::BadInput);
  r.packets = whole(j["packets"]);
  r.runs = whole(j["runs"]);
  if (j["program_ns_per_run"].is_number()) r.program_ns_per_run = j["program_ns_per_run"].number();
  r.interval_s = j["interval_s"].number_or(0);
  r.batches = static_cast<unsigned>(whole(j["batches"]));
  if (!j["calibration"].is_null()) {
    Calibration cal;
    for (size_t e = 0; e < r.events.size() && e < INXPECT_MAX_EVENTS; e++) {
      const JsonValue& c = j["calibration"][r.events[e].name];
      cal.instrumented.fixed[e] = c["fixed"].number_or(0);
      cal.instrumented.nested[e] = c["nested"].number_or(0);
      cal.instrumented.spread[e] = c["spread"].number_or(0);
      cal.hand.fixed[e] = c["fixed_hand"].number_or(0);
      cal.hand.nested[e] = c["nested_hand"].number_or(0);
    }
    r.calibration = cal;
  }
  if (!j["actions"].is_null())
    for (const auto& [name, n] : j["actions"].members()) r.actions[name] = whole(n);
  if (!j["notes"].is_null())
    for (const JsonValue& n : j["notes"].array()) r.notes.push_back(n.string_or(""));
  const JsonValue& nr = j["not_recorded"];
  r.health = Health{whole(nr["too_deep"]), whole(nr["no_room"]), whole(nr["unmatched_end"])};

  for (const JsonValue& s : j["sections"].array()) {
    ReportRow row;
    row.section.id = static_cast<uint32_t>(r.rows.size());
    row.section.name = s["name"].string();
    row.section.file = s["file"].string_or("");
    row.section.line = static_cast<unsigned>(whole(s["line"]));
    row.section.end_line = static_cast<unsigned>(whole(s["end_line"]));
    row.section.parent = s["parent"].is_null() ? -1 : static_cast<int>(s["parent"].number());
    row.section.depth = static_cast<unsigned>(whole(s["depth"]));
    figures(s, r, row.stats, row.executions, row.fig, row.excl);
    row.share = s["share_percent"].number_or(0);
    row.error = error(s);
    row.hist = histogram(s["histogram"]);
    batches(s["batches"], r, row);
    r.rows.push_back(std::move(row));
  }
  if (!j["paths"].is_null())
    for (const JsonValue& p : j["paths"].array()) {
      PathRow row;
      const JsonValue& id = p["section_id"];
      if (id.is_number() && id.number() >= 0 && id.number() < static_cast<double>(r.rows.size()))
        row.section = r.rows[static_cast<size_t>(id.number())].section;
      else
        row.section.name = p["section"].string();
      row.path = p["path"].string();
      row.parent = p["parent"].is_null() ? -1 : static_cast<int>(p["parent"].number());
      if (row.parent >= static_cast<int>(r.paths.size()))
        throw Error("report JSON: a path's parent comes after it", Errc::BadInput);
      row.depth = static_cast<unsigned>(whole(p["depth"]));
      figures(p, r, row.stats, row.executions, row.fig.incl, row.fig.excl);
      row.share = p["share_percent"].number_or(0);
      row.error = error(p);
      r.paths.push_back(std::move(row));
    }
  return r;
}

}  // namespace inxpect
