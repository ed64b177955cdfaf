// What the views beyond the table read from a report: totals, the flame
// tree (from a report or from folded stacks), the flame graph as SVG, and
// a report read back from its JSON.  No libbpf.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "libinxpect/report.h"

namespace inxpect {

// Event e's total over a path's or a section's estimated executions
// (mean x executions: sampling undone), inclusive or exclusive.
double path_total(const PathRow& p, unsigned e, bool exclusive);
double row_total(const ReportRow& r, unsigned e, bool exclusive);
// "prog;" (the program's frame, above the top-level sections), or "".
std::string frame_prefix(const Report& r);
// "12.3 us" for ns figures, else "12.3k instructions".
std::string human(double value, const std::string& unit);

// One frame of a flame graph: a call path.
struct FlameNode {
  std::string name;
  std::string location;     // "file:line", empty when unknown
  double self = 0;          // exclusive total, first event
  double total = 0;         // self plus the children's totals
  double error = 0;         // standard error of total (sampling), same unit; 0: exact or unknown
  uint64_t executions = 0;  // estimated; 0 when unknown (folded input)
  std::vector<FlameNode> children;
};

struct FlameGraph {
  FlameNode root;  // the program
  std::string title;
  std::string unit;   // of the weights
  std::string event;  // the first event's name, or "weight"
  uint32_t sample_rate = 1;
};

// The call tree of a report, weighted by the first event's exclusive totals.
FlameGraph flame_from_report(const Report& r);
// Folded stacks ("a;b;c 123" lines).  Throws Error (Errc::BadInput) on a
// malformed line.
FlameGraph flame_from_folded(std::string_view text);

// A self-contained SVG: each frame's tooltip has its location, totals and
// executions; a click zooms into a frame, Escape or the title resets.
// Frames narrower than `min_width` pixels are left out.
struct FlameOptions {
  unsigned width = 1200;
  double min_width = 0.1;
};
void write_flamegraph_svg(const FlameGraph& g, const FlameOptions& opts, std::ostream& out);

// A report read back from what JsonFormatter wrote: sections (with their
// histograms and batches), paths, events, sampling.  Throws Error
// (Errc::BadInput) when the text is not such a report.
Report read_report_json(std::string_view text);

}  // namespace inxpect
