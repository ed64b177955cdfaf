// Annotated source as one self-contained HTML page: the same margin as the
// terminal's, each line's background as hot as its share.
#include <cstdio>

#include "libinxpect/annotate.h"
#include "markup.h"

namespace inxpect {
namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

}  // namespace

void write_annotation_html(const Annotation& a, std::ostream& out) {
  bool sampled = a.sample_rate > 1;
  double hottest = 0;
  for (const AnnotatedFile& f : a.files)
    for (const SourceLine& l : f.lines) hottest = std::max(hottest, l.share);
  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>inxpect annotate: "
      << markup_escape(a.title) << "</title>\n<style>"
      << "body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;font-size:13px}"
         "td{padding:0 .6em;white-space:pre;font-family:monospace}td.n{text-align:right}"
         "tr.never td{color:#999;background:#f0f0f0}tr.never td.src{text-decoration:line-through}"
         "td.m{color:#888}th{text-align:right;padding:0 .6em}"
      << "</style></head><body>\n<h1>" << markup_escape(a.title)
      << "</h1>\n<p>share: of the program's " << markup_escape(a.event) << " (exclusive totals"
      << (sampled ? ", sampled 1/" + std::to_string(a.sample_rate) +
                        ": est. executions, &plusmn; one standard error"
                  : "")
      << "); grey: never ran</p>\n";
  for (const AnnotatedFile& f : a.files) {
    out << "<h2>" << markup_escape(f.file) << "</h2>\n";
    if (f.found.empty()) out << "<p>source not found (--source-dir DIR)</p>\n";
    out << "<table><tr><th>share</th><th>" << markup_escape(a.unit)
        << "/exec</th><th>execs</th><th>line</th><th></th></tr>\n";
    for (unsigned no = f.first ? f.first : 1; no <= f.last && no <= f.lines.size(); no++) {
      const SourceLine& l = f.lines[no - 1];
      if (f.found.empty() && l.sections.empty()) continue;
      bool start = !l.sections.empty();
      std::string cls = l.mark == SourceLine::Mark::NeverRan ? " class=\"never\"" : "";
      std::string bg;
      if (start && l.executions && hottest > 0) {
        int light = 100 - static_cast<int>(45 * l.share / hottest);
        bg = " style=\"background:hsl(0,90%," + std::to_string(light) + "%)\"";
      }
      std::string share, mean, execs;
      if (start && l.executions) {
        share = fmt("%.1f%%", l.share) + (sampled ? " &plusmn;" + fmt("%.1f", l.share_error) : "");
        mean = fmt("%.1f", l.mean);
        execs = std::to_string(l.executions);
      } else if (start) {
        share = "never";
        execs = "0";
      }
      std::string title = start ? " title=\"" + markup_escape([&] {
                                    std::string s;
                                    for (const std::string& n : l.sections)
                                      s += (s.empty() ? "" : ", ") + n;
                                    return s;
                                  }()) +
                                      "\""
                                : "";
      out << "<tr" << cls << bg << title << "><td class=\"n\">" << share << "</td><td class=\"n\">"
          << mean << "</td><td class=\"n\">" << execs << "</td><td class=\"n m\">" << no
          << "</td><td class=\"src\">"
          << markup_escape(f.found.empty() ? "(" + l.sections.front() + ")" : l.text)
          << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "</body></html>\n";
}

}  // namespace inxpect
