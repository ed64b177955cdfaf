// The `inxpect` command's handlers, one per entry of the command table
// (main.cpp).
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "libinxpect/report.h"
#include "options.h"

namespace inxpect::cli {

// list, probe: what an object describes and what this machine allows.
int cmd_list(const Args& args);
int cmd_probe(const Args& args);
// run, attach: profiling offline and live.
int cmd_run(const Args& args);
int cmd_attach(const Args& args);
// attach without an object (running.cpp), top (top.cpp): programs already
// running.
int attach_running(const Args& args);
int cmd_top(const Args& args);
// serve: OpenMetrics for Prometheus (serve.cpp).
int cmd_serve(const Args& args);
// kmod: load, unload, status of the counter module.
int cmd_kmod(const Args& args);

// flamegraph, annotate, diff: views of a run.
int cmd_flamegraph(const Args& args);
int cmd_annotate(const Args& args);
int cmd_diff(const Args& args);
int cmd_show(const Args& args);

// What `inxpect run` measures, as a report (packets, batches, calibration),
// before it is printed.
Report run_report(const Args& args);
// The formatter --format names (with pprof when it was built); `single`:
// the output is one profile, not one per interval (attach).
std::unique_ptr<Formatter> output_formatter(const std::string& name, bool single = true);
// The whole of a file, or of stdin for "-".  Throws Error.
std::string read_input(const std::string& path);
// Where a view writes: `path`, or stdout for "" or "-"; `raw`: past the
// escaping main puts under stdout (bytes meant as they are).
void write_output(const std::string& path, const std::string& bytes, bool raw = false);
// stdout without the escaping main puts under it, for output whose bytes
// are meant as they are: pprof's protobuf, annotate's colours.
std::ostream& raw_stdout();
// Where --format NAME goes on stdout: raw for pprof, else escaped.
std::ostream& report_stdout(const std::string& format);

// The one positional object file; throws Error (Errc::Usage) otherwise.
std::string need_object(const Args& args);

// Flushes `out`; throws Error when anything written to it was lost (a full
// disk, a closed pipe), so a report that did not arrive is never exit 0.
void flush_output(std::ostream& out, const std::string& what);

}  // namespace inxpect::cli
