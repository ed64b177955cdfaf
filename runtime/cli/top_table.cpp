// The table of `inxpect top`: a row per program (the kernel's figures)
// and under it a row per section (InXpect's).
#include <iomanip>
#include <sstream>

#include "top.h"

namespace inxpect::cli {
namespace {

// A column heading, with the order after it when it is the sort column.
std::string heading(const char* name, SortKey key, const Order* marked) {
  if (!marked || marked->key != key) return name;
  return std::string(name) + (marked->descending ? " v" : " ^");
}

}  // namespace

TableText table_text(const std::vector<ProgramLine>& lines, double interval_s,
                     const Order* marked) {
  TableText out;
  auto row = [&](const std::ostringstream& t, uint32_t id) {
    out.rows.push_back(t.str());
    out.ids.push_back(id);
  };
  std::ostringstream t;
  t << "inxpect top: " << lines.size() << " XDP program(s), interval " << std::fixed
    << std::setprecision(2) << interval_s << " s; ns per event (ktime)";
  row(t, 0);
  row(std::ostringstream(), 0);
  t.str("");
  t << std::left << std::setw(7) << heading("ID", SortKey::Id, marked) << std::setw(24)
    << heading("PROGRAM / SECTION", SortKey::Name, marked) << std::setw(10) << "IFACE" << std::right
    << std::setw(12) << heading("RUNS/S", SortKey::Runs, marked) << std::setw(10)
    << heading("MEAN", SortKey::Mean, marked) << std::setw(10) << "P99" << std::setw(8) << "SHARE"
    << std::setw(8) << heading("%CPU", SortKey::Cpu, marked) << "  LOCATION";
  row(t, 0);
  auto num = [&](std::optional<double> v, int width, int precision) {
    t << std::setprecision(precision) << std::setw(width);
    if (v)
      t << *v;
    else
      t << "-";
  };
  for (const ProgramLine& l : lines) {
    t.str("");
    t << std::left << std::setw(7) << l.id << std::setw(24) << l.name.substr(0, 23) << std::setw(10)
      << (l.ifname.empty() ? "-" : l.ifname) << std::right;
    num(l.runs_per_s, 12, 0);
    num(l.ns_per_run, 10, 1);
    t << std::setw(10) << "-" << std::setw(8) << "-";
    num(l.cpu_pct, 8, 2);
    t << "  ";
    if (l.role == Role::Component)
      t << "(behind dispatcher " << l.dispatcher << ")";
    else if (l.role == Role::Dispatcher)
      t << "(libxdp dispatcher; own share at most " << std::setprecision(1)
        << l.own_ns_per_run.value_or(0) << " ns/run, " << std::setprecision(2)
        << l.own_cpu_pct.value_or(0) << "% CPU)";
    else if (!l.instrumented)
      t << "(not instrumented)";
    row(t, l.id);
    for (const SectionLine& s : l.sections) {
      t.str("");
      t << std::left << std::setw(7) << "" << std::setw(24) << ("  " + s.name).substr(0, 23)
        << std::setw(10) << "" << std::right << std::setprecision(0) << std::setw(12)
        << s.runs_per_s << std::setprecision(1) << std::setw(10) << s.mean_ns << std::setw(10)
        << s.p99_ns << std::setw(7) << s.share << "%" << std::setprecision(2) << std::setw(8)
        << s.cpu_pct << "  " << s.location;
      row(t, 0);
    }
  }
  return out;
}

}  // namespace inxpect::cli
