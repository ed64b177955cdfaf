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

}  // namespace inxpect
