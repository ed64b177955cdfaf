// `inxpect show REPORT.json --format FMT`: a saved report in another
// format (folded or pprof for flame graph tools, table to read it), from
// the same figures.
#include <iostream>

#include "commands.h"
#include "libinxpect/error.h"
#include "libinxpect/views.h"

namespace inxpect::cli {

int cmd_show(const Args& args) {
  if (args.positional().size() != 1)
    throw Error("show takes one JSON report of inxpect run ('-': stdin)", Errc::Usage);
  std::string format = args.get("--format", "table");
  auto fmt = output_formatter(format);
  Report r = read_report_json(read_input(args.positional()[0]));
  r.flat = args.has("--flat");
  std::ostream& out = report_stdout(format);
  fmt->write(r, out);
  flush_output(out, "the report");
  return 0;
}

}  // namespace inxpect::cli
