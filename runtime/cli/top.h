// `inxpect top`'s lines: what it shows of each program and section over
// one interval, in the order and under the filter the user chose, and the
// table they make.  top.cpp reads them and prints jsonl or a redrawn
// table; top_keys.cpp is the view that answers keys.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "watch.h"

namespace inxpect::cli {

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

// Every watched program's line over the interval since the last call
// (programs come and go, as refresh says), dispatchers' own shares
// included; `interval_s` is the longest.
std::vector<ProgramLine> read_lines(std::vector<std::unique_ptr<Watched>>& watched,
                                    const Args& args, double& interval_s);

// The columns top sorts by, in the table's order.
enum class SortKey { Id, Name, Runs, Mean, Cpu };
inline constexpr SortKey kSortKeys[] = {SortKey::Id, SortKey::Name, SortKey::Runs, SortKey::Mean,
                                        SortKey::Cpu};
struct Order {
  SortKey key = SortKey::Cpu;
  bool descending = true;
};
// --sort's names (cpu, runs, mean, name, id), in the order that reads
// best: figures largest first, ids and names smallest first.  Throws Error
// (Errc::Usage) on another name.
Order order_named(const std::string& name);
void sort_lines(std::vector<ProgramLine>& lines, const Order& order);

// The filter of --filter and of the `f` key: an extended regular
// expression, found anywhere in a name, case ignored.  Throws Error
// (Errc::Usage) on one that does not compile.
std::regex filter_regex(const std::string& text);
// Keeps a program whose name matches with all its sections, and a program
// one of whose sections matches with only those; drops the rest.
void filter_lines(std::vector<ProgramLine>& lines, const std::regex& filter);

// The table, a string a row, with the program id of each program's row (0
// on the others).  `marked`: the sort column's heading says the order
// (^ ascending, v descending), for the view that can change it.
struct TableText {
  std::vector<std::string> rows;
  std::vector<uint32_t> ids;
};
TableText table_text(const std::vector<ProgramLine>& lines, double interval_s,
                     const Order* marked = nullptr);

// The view that answers keys (top_keys.cpp), while stdin and stdout are a
// terminal; returns when q, Esc or a stop signal ends it, or on the
// schedule.
int top_keys(std::vector<std::unique_ptr<Watched>>& watched, const Args& args, const Schedule& when,
             Order order, const std::string& filter);

}  // namespace inxpect::cli
