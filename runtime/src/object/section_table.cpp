#include "libinxpect/section_table.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "libinxpect/error.h"

namespace inxpect {
namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

unsigned parse_line(const std::string& v) {
  if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), ::isdigit))
    throw Error("malformed site record: line '" + v + "' is not a number", Errc::BadInput);
  return static_cast<unsigned>(std::stoul(v));
}

void check_site(const Site& s) {
  if (!is_identifier(s.name))
    throw Error("malformed site record: section name '" + s.name + "' is not a C identifier",
                Errc::BadInput);
  if (s.file.empty() || s.line == 0)
    throw Error("malformed site record for section '" + s.name + "': no file or line",
                Errc::BadInput);
}

}  // namespace

std::vector<Site> parse_sites(std::string_view bytes) {
  std::vector<Site> sites;
  bool open = false;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t end = bytes.find('\0', pos);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view field = bytes.substr(pos, end - pos);
    pos = end + 1;
    if (field.empty()) continue;  // padding between records
    size_t eq = field.find('=');
    if (eq == std::string_view::npos)
      throw Error("malformed site record: field '" + std::string(field) + "' has no '='",
                  Errc::BadInput);
    std::string key(field.substr(0, eq)), value(field.substr(eq + 1));
    if (key == "site") {
      if (open) check_site(sites.back());
      if (value != "start" && value != "end")
        throw Error("malformed site record: unknown site kind '" + value + "'", Errc::BadInput);
      sites.push_back(Site{value == "start", "", "", 0, "", false});
      open = true;
      continue;
    }
    if (!open)
      throw Error("malformed site record: field '" + key + "' before any site=", Errc::BadInput);
    Site& s = sites.back();
    if (key == "name")
      s.name = value;
    else if (key == "file")
      s.file = value;
    else if (key == "line")
      s.line = parse_line(value);
    else if (key == "parent")
      s.parent = value;
    else if (key == "call")
      s.call = value == "1";
    // Unknown keys are for newer instrumenters; skip them.
  }
  if (open) check_site(sites.back());
  return sites;
}

SectionTable SectionTable::parse(std::string_view bytes) {
  SectionTable t;
  std::vector<Site> sites = parse_sites(bytes);
  std::map<std::string, size_t> index;
  for (const Site& s : sites) {
    auto [it, fresh] = index.emplace(s.name, t.sections_.size());
    if (fresh) {
      Section sec;
      sec.id = static_cast<uint32_t>(t.sections_.size());
      sec.name = s.name;
      sec.file = s.file;
      t.sections_.push_back(sec);
    }
    Section& sec = t.sections_[it->second];
    if (s.start) {
      sec.out_of_line |= s.call;
      if (!sec.starts || (s.file == sec.file && s.line < sec.line)) sec.line = s.line;
      if (!sec.starts) sec.file = s.file;
      sec.starts++;
    } else {
      if (s.file == sec.file || !sec.ends) sec.end_line = std::max(sec.end_line, s.line);
      sec.ends++;
    }
  }
  for (Section& sec : t.sections_) {
    if (!sec.line) sec.line = sec.end_line;
    if (!sec.end_line) sec.end_line = sec.line;
    if (!sec.starts)
      t.warnings_.push_back("section '" + sec.name +
                            "' has END_TRACE but no START_TRACE: it records nothing");
    else if (!sec.ends)
      t.warnings_.push_back("section '" + sec.name +
                            "' has START_TRACE but no END_TRACE: it records nothing");
  }
  t.link_parents(sites);
  return t;
}

// The parent is what the instrumenter recorded, else the innermost section
// of the same file whose source range strictly encloses this one.
void SectionTable::link_parents(const std::vector<Site>& sites) {
  std::map<std::string, std::string> recorded;
  for (const Site& s : sites)
    if (s.start && !s.parent.empty()) recorded.emplace(s.name, s.parent);

  for (Section& sec : sections_) {
    auto rec = recorded.find(sec.name);
    if (rec != recorded.end()) {
      if (const Section* p = find(rec->second); p && p->id != sec.id)
        sec.parent = static_cast<int>(p->id);
      continue;
    }
    unsigned best_span = ~0u;
    for (const Section& p : sections_) {
      if (p.id == sec.id || p.file != sec.file) continue;
      bool encloses = p.line <= sec.line && sec.end_line <= p.end_line &&
                      (p.line < sec.line || sec.end_line < p.end_line);
      unsigned span = p.end_line - p.line;
      if (encloses && span < best_span) {
        best_span = span;
        sec.parent = static_cast<int>(p.id);
      }
    }
  }
  // Depths; a recorded cycle is broken where it is found.
  for (Section& sec : sections_) {
    unsigned depth = 0;
    for (int p = sec.parent; p >= 0; p = sections_[p].parent) {
      if (++depth > sections_.size()) {
        warnings_.push_back("section '" + sec.name + "' is in a nesting cycle; shown at top level");
        sec.parent = -1;
        depth = 0;
        break;
      }
    }
    sec.depth = depth;
  }
}

const Section* SectionTable::find(std::string_view name) const {
  for (const Section& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace inxpect
