// The `inxpect` command's handlers, one per entry of the command table
// (main.cpp).
#pragma once

#include <memory>
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
// Where a view writes: `path`, or stdout for "" or "-".
void write_output(const std::string& path, const std::string& bytes);

// The one positional object file; throws Error (Errc::Usage) otherwise.
std::string need_object(const Args& args);

}  // namespace inxpect::cli
