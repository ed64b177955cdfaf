// The `inxpect` command's handlers, one per entry of the command table
// (main.cpp).
#pragma once

#include <ostream>
#include <string>

#include "options.h"

namespace inxpect::cli {

// list, probe: what an object describes and what this machine allows.
int cmd_list(const Args& args);
int cmd_probe(const Args& args);
// run, attach: profiling offline and live.
int cmd_run(const Args& args);
int cmd_attach(const Args& args);
// kmod: load, unload, status of the counter module.
int cmd_kmod(const Args& args);

// The one positional object file; throws Error (Errc::Usage) otherwise.
std::string need_object(const Args& args);

// Flushes `out`; throws Error when anything written to it was lost (a full
// disk, a closed pipe), so a report that did not arrive is never exit 0.
void flush_output(std::ostream& out, const std::string& what);

}  // namespace inxpect::cli
