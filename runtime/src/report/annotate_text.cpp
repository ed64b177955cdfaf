// Annotated source for a terminal: perf annotate's margin (share, cost per
// execution, executions), and its colours when asked.
#include <cmath>
#include <cstdio>

#include "libinxpect/annotate.h"
#include "libinxpect/escape.h"

namespace inxpect {
namespace {

const char* kRed = "\033[31m";
const char* kGreen = "\033[32m";
const char* kDim = "\033[2m";
const char* kReset = "\033[0m";

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

std::string pad(std::string s, size_t w) {
  if (s.size() < w) s.insert(0, w - s.size(), ' ');
  return s;
}

// The margin: share (+- its error when sampled), mean per execution,
// executions, line number, and a mark: '|' in a section that ran, '-' in
// one that never ran.
std::string margin(const SourceLine& l, unsigned no, bool sampled) {
  std::string share, mean, execs;
  bool start = !l.sections.empty();
  if (start && l.executions) {
    share = fmt("%.1f%%", l.share);
    if (sampled) share += " +-" + fmt("%.1f", l.share_error);
    mean = fmt("%.1f", l.mean);
    execs = std::to_string(l.executions);
  } else if (start) {
    share = "never";
    execs = "0";
  }
  char mark = l.mark == SourceLine::Mark::Ran        ? '|'
              : l.mark == SourceLine::Mark::NeverRan ? '-'
                                                     : ' ';
  return pad(share, sampled ? 13 : 7) + pad(mean, 11) + pad(execs, 11) +
         pad(std::to_string(no), 7) + " " + mark + " ";
}

}  // namespace

void write_annotation_text(const Annotation& a, const AnnotateOptions& o, std::ostream& out) {
  bool sampled = a.sample_rate > 1;
  out << "inxpect annotate: " << a.title << "\n"
      << "share: of the program's " << a.event << " (exclusive totals";
  if (sampled) out << ", sampled 1/" << a.sample_rate << ": est. executions, +- one standard error";
  out << "); '|' ran, '-' never ran\n";
  for (const AnnotatedFile& f : a.files) {
    out << "\n" << escape_controls(f.file);
    if (f.found.empty())
      out << "  (source not found; --source-dir DIR)";
    else if (f.found != f.file)
      out << "  (" << escape_controls(f.found) << ")";
    out << "\n"
        << pad("share", sampled ? 13 : 7) << pad(a.unit + "/exec", 11) << pad("execs", 11)
        << pad("line", 7) << "\n";
    unsigned from = f.first > o.context ? f.first - o.context : 1;
    unsigned to = std::min<size_t>(f.lines.size(), size_t{f.last} + o.context);
    for (unsigned no = from; no <= to; no++) {
      const SourceLine& l = f.lines[no - 1];
      if (f.found.empty() && l.sections.empty()) continue;
      std::string text = f.found.empty() ? "(" + l.sections.front() + ")" : l.text;
      const char* c = nullptr;
      if (o.color) {
        if (!l.sections.empty() && l.executions)
          c = l.share >= 5 ? kRed : l.share >= 0.5 ? kGreen : nullptr;
        else if (l.mark == SourceLine::Mark::NeverRan)
          c = kDim;
      }
      out << (c ? c : "") << margin(l, no, sampled) << escape_controls(text) << (c ? kReset : "")
          << "\n";
    }
  }
}

}  // namespace inxpect
