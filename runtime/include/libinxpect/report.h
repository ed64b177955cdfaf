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

struct ReportRow {
  Section section;
  SectionStats stats;  // raw
  EventFigures fig;
  uint64_t executions = 0;  // estimated, sampling undone
  double share = 0;         // of the top-level sections' total (event 0), percent
  // Filled when the report asks for it.
  std::vector<SectionStats> per_cpu;
  std::vector<EventFigures> per_cpu_fig;
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
  std::vector<ReportRow> rows;
  std::vector<Derived> derived;
  bool per_cpu = false;
  std::optional<Calibration> calibration;  // none: raw figures
  std::vector<std::string> notes;
};

// Builds the rows (in section id order) from a snapshot, calibrated with
// report.calibration when it is set: each figure loses the fixed cost, and a
// parent also the cost of the sections nested in it, per its execution (see
// README).  Figures never go below zero.
void fill_rows(Report& report, const SectionTable& table, const Snapshot& snap, bool per_cpu);

class Formatter {
 public:
  virtual ~Formatter() = default;
  virtual void write(const Report& report, std::ostream& out) const = 0;
};

// "table", "json" or "csv"; throws Error otherwise.
std::unique_ptr<Formatter> make_formatter(const std::string& name);

}  // namespace inxpect
