// The report as a pprof profile (profile.proto, gzipped), which `go tool
// pprof`, Pyroscope and Grafana read.  Its own library (inxpect_pprof:
// protobuf and zlib), so the report layer needs neither.
//
// One sample per call path: its locations (the path's sections, innermost
// first, then the program), its exclusive totals per event as values, and
// its estimated executions as the label "executions".  Sampling shows as
// the period (1 in N).
#pragma once

#include <memory>
#include <string>

#include "libinxpect/report.h"

namespace inxpect {

// The gzipped profile.
std::string pprof_profile(const Report& report);

class PprofFormatter : public Formatter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

}  // namespace inxpect
