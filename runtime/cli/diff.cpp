// `inxpect diff A.json B.json`: two runs section by section, each change
// with its significance; --fail-above gates a CI job on a regression.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "libinxpect/diff.h"
#include "libinxpect/error.h"
#include "libinxpect/json_writer.h"
#include "libinxpect/views.h"

namespace inxpect::cli {
namespace {

// The exit status of a diff that found a significant slowdown above
// --fail-above (distinct from the error statuses, 1 and 64-78).
constexpr int kRegression = 3;

double percent(const Args& args, const std::string& name, double fallback) {
  if (!args.has(name)) return fallback;
  std::string v = args.get(name);
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end || !(d >= 0) || d > 1e6)
    throw Error(name + " " + v + ": expected a number >= 0", Errc::Usage);
  return d;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

void write_table(const Diff& d, const Report& a, const Report& b, const std::string& na,
                 const std::string& nb, const DiffOptions& o, std::ostream& out) {
  out << "inxpect diff: A " << na << " (" << a.object << ", " << a.batches << " batches)\n"
      << "              B " << nb << " (" << b.object << ", " << b.batches << " batches)\n"
      << d.event << " (" << d.unit << ") " << (o.exclusive ? "exclusive" : "inclusive")
      << " mean per execution (with batches: their median); significant: p < " << o.alpha
      << ", 95% interval without 0, |change| >= " << o.threshold << "%\n";
  for (const std::string& n : d.notes) out << "note: " << n << "\n";
  char line[256];
  std::snprintf(line, sizeof(line), "\n%-24s %10s %10s %8s  %-19s %8s  %-9s %s\n", "section", "A",
                "B", "change", "95% interval", "p", "test", "");
  out << line;
  for (const SectionDiff& s : d.sections) {
    std::string ci = s.test == "batches"
                         ? "[" + fmt("%+.1f", s.ci.low) + "%, " + fmt("%+.1f", s.ci.high) + "%]"
                         : "";
    std::string verdict = s.significant ? (s.change > 0 ? "slower *" : "faster *") : "";
    if (s.test == "none") verdict = "(no samples to test)";
    std::snprintf(line, sizeof(line), "%-24s %10.1f %10.1f %7.1f%%  %-19s %8.2g  %-9s %s\n",
                  s.name.c_str(), s.a, s.b, s.change, ci.c_str(), s.p, s.test.c_str(),
                  verdict.c_str());
    out << line;
  }
  for (const std::string& n : d.only_a) out << "only in A: " << n << "\n";
  for (const std::string& n : d.only_b) out << "only in B: " << n << "\n";
}

void write_json(const Diff& d, const DiffOptions& o, std::ostream& out) {
  JsonWriter w(out);
  w.begin_object().field("event", d.event).field("unit", d.unit);
  w.field("exclusive", o.exclusive).field("alpha", o.alpha).field("threshold_percent", o.threshold);
  w.key("sections").begin_array();
  for (const SectionDiff& s : d.sections) {
    w.line_break().begin_object().field("name", s.name).field("a", s.a).field("b", s.b);
    w.field("change_percent", s.change).field("test", s.test).field("p", s.p);
    if (s.test == "batches")
      w.key("interval_percent").begin_array().value(s.ci.low).value(s.ci.high).end_array();
    w.field("samples_a", s.na).field("samples_b", s.nb).field("significant", s.significant);
    w.end_object();
  }
  w.end_array().key("only_a").begin_array();
  for (const std::string& n : d.only_a) w.value(n);
  w.end_array().key("only_b").begin_array();
  for (const std::string& n : d.only_b) w.value(n);
  w.end_array().key("notes").begin_array();
  for (const std::string& n : d.notes) w.value(n);
  w.end_array().end_object();
  out << "\n";
}

}  // namespace

int cmd_diff(const Args& args) {
  if (args.positional().size() != 2)
    throw Error("diff takes two JSON reports of inxpect run: A (before) and B (after)",
                Errc::Usage);
  const std::string &na = args.positional()[0], &nb = args.positional()[1];
  Report a = read_report_json(read_input(na)), b = read_report_json(read_input(nb));
  DiffOptions o;
  o.exclusive = args.has("--exclusive");
  o.alpha = percent(args, "--alpha", o.alpha);
  o.threshold = percent(args, "--threshold", o.threshold);
  if (args.has("--event")) {
    std::string ev = args.get("--event");
    o.event = ~0u;
    for (unsigned e = 0; e < a.events.size(); e++)
      if (a.events[e].name == ev) o.event = e;
    if (o.event == ~0u) throw Error("--event " + ev + ": A did not measure it", Errc::NotFound);
  }
  std::string format = args.get("--format", "table");
  if (format != "table" && format != "json")
    throw Error("diff --format " + format + ": table or json", Errc::Usage);
  Diff d = diff_reports(a, b, o);
  if (format == "json")
    write_json(d, o, std::cout);
  else
    write_table(d, a, b, na, nb, o, std::cout);
  if (args.has("--fail-above")) {
    double limit = percent(args, "--fail-above", 0);
    for (const SectionDiff& s : d.sections)
      if (s.significant && s.change > limit) {
        std::cerr << "inxpect: " << s.name << " is " << fmt("%.1f", s.change)
                  << "% slower (significant), above --fail-above " << limit << "%\n";
        return kRegression;
      }
  }
  return 0;
}

}  // namespace inxpect::cli
