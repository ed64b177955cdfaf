// The line model of annotated source: which sections start on each line,
// and which section covers it.
#include "libinxpect/annotate.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "libinxpect/views.h"

namespace inxpect {
namespace {

bool read_file(const std::string& path, std::vector<std::string>& lines) {
  std::ifstream in(path);
  if (!in) return false;
  std::string l;
  while (std::getline(in, l)) lines.push_back(l);
  return true;
}

std::string locate(const std::string& file, const std::vector<std::string>& dirs) {
  std::vector<std::string> tries;
  if (!file.empty() && file[0] == '/') tries.push_back(file);
  for (const std::string& d : dirs) tries.push_back(d.empty() ? file : d + "/" + file);
  if (dirs.empty()) tries.push_back(file);
  for (const std::string& t : tries)
    if (std::ifstream(t)) return t;
  return "";
}

}  // namespace

Annotation annotate(const Report& r, const std::vector<std::string>& source_dirs) {
  Annotation a;
  a.title = r.object + "  program " + r.program;
  if (!r.events.empty()) {
    a.event = r.events[0].name;
    a.unit = r.events[0].unit;
  }
  a.sample_rate = r.sample_rate;
  double program = 0;
  for (const ReportRow& row : r.rows) program += std::max(0.0, row_total(row, 0, true));

  std::map<std::string, std::vector<const ReportRow*>> by_file;
  for (const ReportRow& row : r.rows)
    if (!row.section.file.empty() && row.section.line) by_file[row.section.file].push_back(&row);
  for (auto& [file, rows] : by_file) {
    AnnotatedFile f;
    f.file = file;
    f.found = locate(file, source_dirs);
    std::vector<std::string> text;
    if (!f.found.empty() && !read_file(f.found, text)) f.found.clear();
    unsigned last = 0;
    f.first = ~0u;
    for (const ReportRow* row : rows) {
      f.first = std::min(f.first, row->section.line);
      last = std::max({last, row->section.line, row->section.end_line});
    }
    f.last = last;
    f.lines.resize(std::max<size_t>(text.size(), last));
    for (size_t k = 0; k < text.size(); k++) f.lines[k].text = text[k];
    // Widest ranges first, so the innermost section marks a line last.
    std::sort(rows.begin(), rows.end(), [](const ReportRow* x, const ReportRow* y) {
      unsigned wx = std::max(x->section.end_line, x->section.line) - x->section.line;
      unsigned wy = std::max(y->section.end_line, y->section.line) - y->section.line;
      return wx != wy ? wx > wy : x->section.line < y->section.line;
    });
    for (const ReportRow* row : rows) {
      const Section& s = row->section;
      bool ran = row->stats.count > 0;
      for (unsigned l = s.line; l <= std::max(s.end_line, s.line); l++)
        f.lines[l - 1].mark = ran ? SourceLine::Mark::Ran : SourceLine::Mark::NeverRan;
    }
    for (const ReportRow* row : rows) {
      SourceLine& l = f.lines[row->section.line - 1];
      double t = std::max(0.0, row_total(*row, 0, true));
      l.sections.push_back(row->section.name);
      l.total += t;
      l.executions += row->executions;
      // Errors of the sections on one line add in quadrature.
      double err = std::isfinite(row->error) ? row->error * row_total(*row, 0, false) : 0;
      double prev = program > 0 ? l.share_error * program / 100 : 0;
      l.share_error = program > 0 ? 100 * std::hypot(prev, err) / program : 0;
      // A section that ran marks its first line as run, whatever is nested.
      if (row->stats.count) l.mark = SourceLine::Mark::Ran;
    }
    for (SourceLine& l : f.lines) {
      l.share = program > 0 ? 100 * l.total / program : 0;
      l.mean = l.executions ? l.total / static_cast<double>(l.executions) : 0;
    }
    a.files.push_back(std::move(f));
  }
  return a;
}

}  // namespace inxpect
