// `inxpect top`: every running XDP program (or those a selector names) and
// its sections, redrawn each interval, or one JSON object per interval.
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "commands.h"
#include "libinxpect/error.h"
#include "libinxpect/json_writer.h"
#include "libinxpect/running.h"
#include "libinxpect/stats.h"
#include "watch.h"

namespace inxpect::cli {
namespace {

// What top shows of a section over one interval.
struct SectionLine {
  std::string name, location;
  double runs_per_s = 0, mean_ns = 0, p99_ns = 0, share = 0, cpu_pct = 0;
};

// The kernel's figures are missing for a component behind a dispatcher: the
// dispatcher's include its time.  The dispatcher's own share is its run
// time less the time its components' sections measured (exclusive, so
// nested sections count once): what the dispatcher itself costs, plus
// component code outside sections, whole uninstrumented components, and
// the sections' own probes.  An upper bound, labelled as such.
struct ProgramLine {
  uint32_t id = 0;
  std::string name, tag, ifname;
  bool instrumented = false;
  Role role = Role::Program;
  uint32_t dispatcher = 0;
  std::optional<double> runs_per_s, ns_per_run, cpu_pct;
  std::optional<double> own_ns_per_run, own_cpu_pct;  // a dispatcher's
  uint64_t runs = 0;
  double run_ns = 0, sections_ns = 0, interval_s = 1;
  uint32_t sample_rate = 1;
  std::vector<SectionLine> sections;
};

const char* role_name(Role r) {
  return r == Role::Dispatcher ? "dispatcher" : r == Role::Component ? "component" : "program";
}

ProgramLine line_of(const Watched& w, const Observed& f) {
  const RunningProgram& p = w.program();
  ProgramLine l;
  l.id = p.id;
  l.name = p.name;
  l.tag = p.tag;
  l.ifname = p.ifname;
  l.instrumented = p.inx != nullptr;
  l.role = p.role;
  l.dispatcher = p.dispatcher;
  double s = f.interval_s > 0 ? f.interval_s : 1;
  l.interval_s = s;
  l.runs = f.runs;
  l.run_ns = static_cast<double>(f.run_ns);
  if (p.role != Role::Component) {
    l.runs_per_s = f.runs / s;
    l.ns_per_run = f.runs ? static_cast<double>(f.run_ns) / f.runs : 0;
    l.cpu_pct = f.run_ns / (s * 1e9) * 100;
  }
  l.sample_rate = f.report.sample_rate;
  for (const ReportRow& r : f.report.rows) {
    SectionLine sl;
    sl.name = r.section.name;
    sl.location = r.section.file + ":" + std::to_string(r.section.line);
    sl.runs_per_s = r.executions / s;
    sl.mean_ns = r.fig[0].mean;
    sl.p99_ns = quantile(r.hist, 0.99);
    sl.share = r.share;
    sl.cpu_pct = sl.mean_ns * r.executions / (s * 1e9) * 100;
    l.sections_ns += r.excl[0].mean * r.executions;
    l.sections.push_back(sl);
  }
  return l;
}

void own_shares(std::vector<ProgramLine>& lines) {
  for (ProgramLine& d : lines) {
    if (d.role != Role::Dispatcher) continue;
    double own = d.run_ns;
    for (const ProgramLine& c : lines)
      if (c.role == Role::Component && c.dispatcher == d.id) own -= c.sections_ns;
    d.own_ns_per_run = d.runs ? own / d.runs : 0;
    d.own_cpu_pct = own / (d.interval_s * 1e9) * 100;
  }
}

void sort_lines(std::vector<ProgramLine>& lines, const std::string& key) {
  auto by = [&](auto get, bool descending) {
    std::stable_sort(lines.begin(), lines.end(), [&](const ProgramLine& a, const ProgramLine& b) {
      return descending ? get(a) > get(b) : get(a) < get(b);
    });
  };
  if (key == "id")
    by([](const ProgramLine& l) { return static_cast<double>(l.id); }, false);
  else if (key == "name")
    std::stable_sort(lines.begin(), lines.end(),
                     [](const ProgramLine& a, const ProgramLine& b) { return a.name < b.name; });
  else if (key == "runs")
    by([](const ProgramLine& l) { return l.runs_per_s.value_or(0); }, true);
  else if (key == "mean")
    by([](const ProgramLine& l) { return l.ns_per_run.value_or(0); }, true);
  else
    by([](const ProgramLine& l) { return l.cpu_pct.value_or(0); }, true);
}

void write_jsonl(const std::vector<ProgramLine>& lines, double interval_s, std::ostream& out) {
  JsonWriter w(out);
  w.begin_object()
      .field("time", static_cast<int64_t>(std::time(nullptr)))
      .field("interval_s", interval_s)
      .key("programs")
      .begin_array();
  for (const ProgramLine& l : lines) {
    w.begin_object()
        .field("id", l.id)
        .field("name", l.name)
        .field("tag", l.tag)
        .field("ifname", l.ifname)
        .field("instrumented", l.instrumented)
        .field("role", role_name(l.role));
    if (l.role == Role::Component) w.field("dispatcher", l.dispatcher);
    w.field("runs_per_s", l.runs_per_s)
        .field("ns_per_run", l.ns_per_run)
        .field("cpu_pct", l.cpu_pct);
    if (l.role == Role::Dispatcher)
      w.field("own_ns_per_run", l.own_ns_per_run).field("own_cpu_pct", l.own_cpu_pct);
    w.field("sample_rate", l.sample_rate).key("sections").begin_array();
    for (const SectionLine& s : l.sections)
      w.begin_object()
          .field("name", s.name)
          .field("location", s.location)
          .field("runs_per_s", s.runs_per_s)
          .field("mean_ns", s.mean_ns)
          .field("p99_ns", s.p99_ns)
          .field("share", s.share)
          .field("cpu_pct", s.cpu_pct)
          .end_object();
    w.end_array().end_object();
  }
  w.end_array().end_object();
  out << "\n";
}

void write_table(const std::vector<ProgramLine>& lines, double interval_s, bool clear,
                 std::ostream& out) {
  // Home and clear, so the view redraws in place: past the escaping that
  // main puts under stdout, which would print them as text.  The table
  // itself goes through it (file names come from the object).
  if (clear) raw_stdout() << "\x1b[H\x1b[2J" << std::flush;
  std::ostringstream t;
  t << "inxpect top: " << lines.size() << " XDP program(s), interval " << std::fixed
    << std::setprecision(2) << interval_s << " s; ns per event (ktime)\n\n";
  t << std::left << std::setw(7) << "ID" << std::setw(24) << "PROGRAM / SECTION" << std::setw(10)
    << "IFACE" << std::right << std::setw(12) << "RUNS/S" << std::setw(10) << "MEAN"
    << std::setw(10) << "P99" << std::setw(8) << "SHARE" << std::setw(8) << "%CPU"
    << "  LOCATION\n";
  auto num = [&](std::optional<double> v, int width, int precision) {
    t << std::setprecision(precision) << std::setw(width);
    if (v)
      t << *v;
    else
      t << "-";
  };
  for (const ProgramLine& l : lines) {
    t << std::left << std::setw(7) << l.id << std::setw(24) << l.name.substr(0, 23) << std::setw(10)
      << (l.ifname.empty() ? "-" : l.ifname) << std::right;
    num(l.runs_per_s, 12, 0);
    num(l.ns_per_run, 10, 1);
    t << std::setw(10) << "-" << std::setw(8) << "-";
    num(l.cpu_pct, 8, 2);
    std::ostringstream why;
    why << std::fixed;
    if (!l.instrumented && l.role != Role::Dispatcher) why << " (not instrumented)";
    if (l.role == Role::Component) why << " (behind dispatcher " << l.dispatcher << ")";
    if (l.role == Role::Dispatcher)
      why << " (libxdp dispatcher; own share at most " << std::setprecision(1) << *l.own_ns_per_run
          << " ns/run, " << std::setprecision(2) << *l.own_cpu_pct << "% CPU)";
    t << " " << why.str() << "\n";
    for (const SectionLine& s : l.sections)
      t << std::left << std::setw(7) << "" << std::setw(24) << ("  " + s.name).substr(0, 23)
        << std::setw(10) << "" << std::right << std::setprecision(0) << std::setw(12)
        << s.runs_per_s << std::setprecision(1) << std::setw(10) << s.mean_ns << std::setw(10)
        << s.p99_ns << std::setw(7) << s.share << "%" << std::setprecision(2) << std::setw(8)
        << s.cpu_pct << "  " << s.location << "\n";
  }
  out << t.str();
}

}  // namespace

int cmd_top(const Args& args) {
  Schedule when = schedule_of(args);
  bool tty = isatty(STDOUT_FILENO);
  std::string format = args.get("--format", tty ? "table" : "jsonl");
  if (format != "table" && format != "jsonl")
    throw Error("top prints table or jsonl, not '" + format + "'", Errc::Usage);
  std::string sort = args.get("--sort", "cpu");
  RunStats stats;
  auto watched = watch_selected(args);
  every_interval(when, [&] {
    std::vector<ProgramLine> lines;
    double interval = 0;
    refresh(watched, args, [&](Watched& w) {
      Observed f = w.interval();
      interval = std::max(interval, f.interval_s);  // programs added now have less
      lines.push_back(line_of(w, f));
    });
    own_shares(lines);
    sort_lines(lines, sort);
    if (format == "jsonl")
      write_jsonl(lines, interval, std::cout);
    else
      write_table(lines, interval, tty, std::cout);
    flush_output(std::cout, "top");
  });
  return 0;
}

}  // namespace inxpect::cli
