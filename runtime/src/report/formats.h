// The report printers; make_formatter() is the way in.
#pragma once

#include "libinxpect/report.h"

namespace inxpect {

class TableFormatter : public Formatter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

class JsonFormatter : public Formatter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

// One row per section, event and CPU ("all" for the sum): long format,
// so any number of events fits one header.
class CsvFormatter : public Formatter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

// Folded stacks, one line per call path: "prog;outer;inner weight", the
// weight its exclusive total of the first event (mean x est. executions),
// rounded; what flamegraph.pl, inferno and speedscope read.
class FoldedFormatter : public Formatter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

}  // namespace inxpect
