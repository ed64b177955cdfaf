// What a profile says, independent of how it is printed, and the printers.
// No libbpf and no kernel here: a report is built from a section table and
// figures, however they were obtained.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "libinxpect/calibration.h"
#include "libinxpect/events.h"
#include "libinxpect/section_table.h"
#include "libinxpect/stats.h"

namespace inxpect {

// One call path: a section, reached through the sections open above it.
struct PathRow {
  uint64_t key = 0;
  int parent = -1;     // index in Report::paths, -1 at top level
  unsigned depth = 0;  // 0 at top level
  Section section;     // "slot<N>" for a slot the object does not describe
  std::string path;    // "outer;inner;section"
  SectionStats stats;  // raw
  Histogram hist{};
  PathFigures fig;          // inclusive and exclusive, per execution
  uint64_t executions = 0;  // estimated, sampling undone
  double share = 0;         // exclusive total (event 0) of the program's, percent
  double error = 0;         // relative standard error of its totals (sampling), 0..
};

// One section: the sum of its paths.
struct ReportRow {
  Section section;
  SectionStats stats;  // raw
  Histogram hist{};
  EventFigures fig;         // inclusive, per execution
  EventFigures excl;        // exclusive, per execution
  uint64_t executions = 0;  // estimated, sampling undone
  double share = 0;         // exclusive total (event 0) of the program's, percent
  double error = 0;         // relative standard error of its totals (sampling), 0..
  // Filled when the report asks for it.
  std::vector<SectionStats> per_cpu;
  std::vector<EventFigures> per_cpu_fig;
  // Per batch (`inxpect run --batches`): calibrated inclusive and exclusive
  // figures per execution, and executions measured (0: the mean means nothing).
  std::vector<EventFigures> batches, batches_excl;
  std::vector<uint64_t> batch_measured;
  // Event 0's mean per batch without the slowest 1% of executions (from the
  // batch's histogram): what an interrupt or a preemption does to a batch's
  // mean stays out.
  std::vector<double> batches_trimmed;
};

// A derived metric, such as IPC, for one section.
struct Derived {
  std::string name;
  std::vector<double> values;  // by row
};

struct Report {
  std::string object;
  std::string program;
  std::string backend;
  std::vector<Event> events;
  uint32_t sample_rate = 1;
  // Offline runs (test_run): zero packets for live reports.
  uint64_t packets = 0;
  uint64_t runs = 0;
  std::optional<double> program_ns_per_run;
  std::map<std::string, uint64_t> actions;
  // Live reports.
  double interval_s = 0;
  std::vector<ReportRow> rows;  // by section id
  std::vector<PathRow> paths;   // the call tree, depth first
  Health health;
  std::vector<Derived> derived;  // of rows
  bool per_cpu = false;
  bool flat = false;                       // print the sections, not the call tree
  std::optional<Calibration> calibration;  // none: raw figures
  std::vector<std::string> notes;
  unsigned batches = 0;  // `inxpect run --batches K`: K; rows carry per-batch figures
};

// Adds per-batch figures to report.rows: `batch` is what one batch changed
// (since() of two snapshots), figures as fill_rows() would compute them.
void add_batch(Report& report, const SectionTable& table, const Snapshot& batch);

// Builds the call tree and the per-section rows from a snapshot,
// calibrated with report.calibration when it is set (path_figures()).
void fill_rows(Report& report, const SectionTable& table, const Snapshot& snap, bool per_cpu);

// Section `id`'s inclusive figures over its paths in `snap` (as its row
// would show them), for tools that need one number.
EventFigures section_figures(const SectionTable& table, const Snapshot& snap, uint32_t id,
                             const Calibration* cal, unsigned nr_events);

// Event 0's calibrated mean without the slowest `top` (0..1) of the
// executions, taken out of the raw sum at their histogram bucket's middle;
// the plain mean when the histogram is empty.
double trimmed_mean(const Histogram& hist, const SectionStats& raw, const Figures& fig, double top);

// A row's q-quantile of event 0, held inside its exact min and max, less
// the profiler's cost that its mean lost.
double row_quantile(const Histogram& hist, const SectionStats& raw, const Figures& fig, double q);

class Formatter {
 public:
  virtual ~Formatter() = default;
  virtual void write(const Report& report, std::ostream& out) const = 0;
};

// "table", "json", "csv" or "folded"; throws Error otherwise ("pprof" is
// in its own library: pprof.h).
std::unique_ptr<Formatter> make_formatter(const std::string& name);

}  // namespace inxpect
