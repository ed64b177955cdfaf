// Annotated source: each line of the profiled source with the cost of the
// sections that start on it, the way `perf annotate` shows instructions.
// Lines come from the section table (file, line, end_line): a section's
// exclusive figures sit on its first line, the rest of its range is marked
// as run or never run (the innermost section covering a line decides).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "libinxpect/report.h"

namespace inxpect {

struct SourceLine {
  std::string text;
  // The sections that start on this line, summed: exclusive totals of the
  // first event, their share of the program, its standard error (percent,
  // sampling), estimated executions and mean per execution.
  std::vector<std::string> sections;
  double total = 0, share = 0, share_error = 0, mean = 0;
  uint64_t executions = 0;
  enum class Mark { Outside, Ran, NeverRan } mark = Mark::Outside;
};

struct AnnotatedFile {
  std::string file;               // as the section table names it
  std::string found;              // where it was read, empty when it was not found
  unsigned first = 0, last = 0;   // 1-based range of lines the sections cover
  std::vector<SourceLine> lines;  // lines[k] is line k + 1
};

struct Annotation {
  std::string title, event, unit;
  uint32_t sample_rate = 1;
  std::vector<AnnotatedFile> files;
};

// Finds each section's file as named, then under each of `source_dirs`,
// and reads it.  Sections of files not found are still listed (no text).
Annotation annotate(const Report& r, const std::vector<std::string>& source_dirs);

struct AnnotateOptions {
  bool color = false;    // ANSI colours for hot lines (perf's: red >= 5%, green >= 0.5%)
  unsigned context = 3;  // lines shown around the covered range
};
void write_annotation_text(const Annotation& a, const AnnotateOptions& o, std::ostream& out);
// One self-contained HTML page.
void write_annotation_html(const Annotation& a, std::ostream& out);

}  // namespace inxpect
