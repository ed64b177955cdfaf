// `inxpect flamegraph IN -o out.svg`: a clickable SVG from a JSON report of
// `inxpect run --format json`, or from folded stacks (any tool's).
#include <sstream>

#include "commands.h"
#include "libinxpect/error.h"
#include "libinxpect/views.h"

namespace inxpect::cli {

int cmd_flamegraph(const Args& args) {
  if (args.positional().size() != 1)
    throw Error("flamegraph takes one input: a JSON report or folded stacks ('-' for stdin)",
                Errc::Usage);
  std::string in = read_input(args.positional()[0]);
  size_t first = in.find_first_not_of(" \t\r\n");
  bool json = first != std::string::npos && in[first] == '{';
  FlameGraph g = json ? flame_from_report(read_report_json(in)) : flame_from_folded(in);
  if (args.has("--title")) g.title = args.get("--title");
  FlameOptions o;
  o.width = static_cast<unsigned>(args.number("--width", 1200, 200, 100000));
  std::ostringstream svg;
  write_flamegraph_svg(g, o, svg);
  write_output(args.get("--output"), svg.str());
  return 0;
}

}  // namespace inxpect::cli
