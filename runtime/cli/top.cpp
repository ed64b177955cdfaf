// `inxpect top`: every running XDP program (or those a selector names) and
// its sections, redrawn each interval, or one JSON object per interval;
// with keys when stdin and stdout are a terminal (top_keys.cpp).
#include "top.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <optional>

#include "commands.h"
#include "libinxpect/error.h"
#include "libinxpect/json_writer.h"
#include "libinxpect/running.h"
#include "libinxpect/stats.h"

namespace inxpect::cli {
namespace {

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

}  // namespace

std::vector<ProgramLine> read_lines(std::vector<std::unique_ptr<Watched>>& watched,
                                    const Args& args, double& interval_s) {
  std::vector<ProgramLine> lines;
  interval_s = 0;
  refresh(watched, args, [&](Watched& w) {
    Observed f = w.interval();
    interval_s = std::max(interval_s, f.interval_s);  // programs added now have less
    lines.push_back(line_of(w, f));
  });
  own_shares(lines);
  return lines;
}

Order order_named(const std::string& name) {
  if (name == "id") return {SortKey::Id, false};
  if (name == "name") return {SortKey::Name, false};
  if (name == "runs") return {SortKey::Runs, true};
  if (name == "mean") return {SortKey::Mean, true};
  if (name == "cpu") return {SortKey::Cpu, true};
  throw Error("top sorts by cpu, runs, mean, name or id, not '" + name + "'", Errc::Usage);
}

void sort_lines(std::vector<ProgramLine>& lines, const Order& order) {
  auto less = [&](const ProgramLine& a, const ProgramLine& b) {
    switch (order.key) {
      case SortKey::Id: return a.id < b.id;
      case SortKey::Name: return a.name < b.name;
      case SortKey::Runs: return a.runs_per_s.value_or(0) < b.runs_per_s.value_or(0);
      case SortKey::Mean: return a.ns_per_run.value_or(0) < b.ns_per_run.value_or(0);
      case SortKey::Cpu: return a.cpu_pct.value_or(0) < b.cpu_pct.value_or(0);
    }
    return false;
  };
  std::stable_sort(lines.begin(), lines.end(), [&](const ProgramLine& a, const ProgramLine& b) {
    return order.descending ? less(b, a) : less(a, b);
  });
}

std::regex filter_regex(const std::string& text) {
  try {
    return std::regex(text, std::regex::extended | std::regex::icase | std::regex::nosubs);
  } catch (const std::regex_error& e) {
    throw Error("filter '" + text + "' is not a regular expression: " + e.what(), Errc::Usage);
  }
}

void filter_lines(std::vector<ProgramLine>& lines, const std::regex& filter) {
  auto found = [&](const std::string& name) { return std::regex_search(name, filter); };
  std::vector<ProgramLine> kept;
  for (ProgramLine& l : lines) {
    if (!found(l.name)) {
      auto& ss = l.sections;
      ss.erase(std::remove_if(ss.begin(), ss.end(),
                              [&](const SectionLine& s) { return !found(s.name); }),
               ss.end());
      if (l.sections.empty()) continue;
    }
    kept.push_back(std::move(l));
  }
  lines = std::move(kept);
}

int cmd_top(const Args& args) {
  Schedule when = schedule_of(args);
  bool tty = isatty(STDOUT_FILENO);
  std::string format = args.get("--format", tty ? "table" : "jsonl");
  if (format != "table" && format != "jsonl")
    throw Error("top prints table or jsonl, not '" + format + "'", Errc::Usage);
  Order order = order_named(args.get("--sort", "cpu"));
  std::string filter = args.get("--filter");
  std::regex re;
  if (!filter.empty()) re = filter_regex(filter);
  RunStats stats;
  auto watched = watch_selected(args);
  if (format == "table" && tty && isatty(STDIN_FILENO))
    return top_keys(watched, args, when, order, filter);
  every_interval(when, [&] {
    double interval = 0;
    std::vector<ProgramLine> lines = read_lines(watched, args, interval);
    if (!filter.empty()) filter_lines(lines, re);
    sort_lines(lines, order);
    if (format == "jsonl") {
      write_jsonl(lines, interval, std::cout);
    } else {
      // Home and clear, so the view redraws in place: past the escaping
      // that main puts under stdout, which would print them as text.  The
      // table itself goes through it (file names come from the object).
      if (tty) raw_stdout() << "\x1b[H\x1b[2J" << std::flush;
      for (const std::string& row : table_text(lines, interval).rows) std::cout << row << "\n";
    }
    flush_output(std::cout, "top");
  });
  return 0;
}

}  // namespace inxpect::cli
