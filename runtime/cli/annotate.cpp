// `inxpect annotate OBJ [run options]`: profile as `inxpect run` does, then
// print the source with each line's cost; or annotate a saved JSON report.
#include <unistd.h>

#include <sstream>

#include "commands.h"
#include "libinxpect/annotate.h"
#include "libinxpect/error.h"
#include "libinxpect/views.h"

namespace inxpect::cli {

int cmd_annotate(const Args& args) {
  if (args.positional().size() != 1)
    throw Error("annotate takes one object (or a JSON report of inxpect run)", Errc::Usage);
  const std::string& in = args.positional()[0];
  bool saved = in.size() > 5 && in.compare(in.size() - 5, 5, ".json") == 0;
  Report r = saved ? read_report_json(read_input(in)) : run_report(args);
  std::vector<std::string> dirs = args.all("--source-dir");
  if (dirs.empty()) dirs.push_back(".");
  Annotation a = annotate(r, dirs);
  std::string out = args.get("--output");
  std::ostringstream text;
  bool colored = false;
  if (args.has("--html")) {
    write_annotation_html(a, text);
  } else {
    std::string when = args.get("--color", "auto");
    if (when != "auto" && when != "always" && when != "never")
      throw Error("--color " + when + ": expected auto, always or never", Errc::Usage);
    AnnotateOptions o;
    o.color = when == "always" ||
              (when == "auto" && (out.empty() || out == "-") && isatty(STDOUT_FILENO));
    o.context = static_cast<unsigned>(args.number("--context", 3, 0, 100000));
    colored = o.color;
    write_annotation_text(a, o, text);
  }
  // Colours are escape sequences: past the escaping (the text itself is
  // escaped by write_annotation_text).
  write_output(out, text.str(), colored);
  return 0;
}

}  // namespace inxpect::cli
