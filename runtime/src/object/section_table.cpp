#include "libinxpect/section_table.h"

#include <algorithm>
#include <cctype>

#include "libinxpect/error.h"

namespace inxpect {
namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

uint64_t parse_number(const std::string& key, const std::string& v) {
  if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), ::isdigit))
    throw Error("malformed site record: " + key + " '" + v + "' is not a number", Errc::BadInput);
  return std::stoull(v);
}

void check_site(const Site& s) {
  if (!is_identifier(s.name))
    throw Error("malformed site record: section name '" + s.name + "' is not a C identifier",
                Errc::BadInput);
  if (s.file.empty() || s.line == 0)
    throw Error("malformed site record for section '" + s.name + "': no file or line",
                Errc::BadInput);
  if (s.start && s.slot < 0)
    throw Error("section '" + s.name +
                    "' was built with an inxpect.h older than this runtime "
                    "(its START has no slot): rebuild the object",
                Errc::BadInput);
}

}  // namespace

std::vector<Site> parse_sites(std::string_view bytes) {
  std::vector<Site> sites;
  bool open = false;
  int64_t base = 0;
  auto close = [&] {
    if (!open) return;
    Site& s = sites.back();
    if (s.start && s.slot >= 0) s.slot += base;
    check_site(s);
  };
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
      close();
      if (value != "start" && value != "end")
        throw Error("malformed site record: unknown site kind '" + value + "'", Errc::BadInput);
      sites.push_back(Site{});
      sites.back().start = value == "start";
      open = true;
      base = 0;
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
      s.line = static_cast<unsigned>(parse_number(key, value));
    else if (key == "parent")
      s.parent = value;
    else if (key == "slot")
      s.slot = static_cast<int64_t>(parse_number(key, value));
    else if (key == "base") {
      base = static_cast<int64_t>(parse_number(key, value));
      s.hand = true;
    }
    // Unknown keys are for newer instrumenters; skip them.
  }
  close();
  return sites;
}

SectionTable SectionTable::parse(std::string_view bytes) {
  SectionTable t;
  std::vector<Site> sites = parse_sites(bytes);
  for (const Site& s : sites) {
    auto [it, fresh] = t.by_name_.emplace(s.name, static_cast<uint32_t>(t.sections_.size()));
    if (fresh) {
      Section sec;
      sec.id = it->second;
      sec.name = s.name;
      sec.file = s.file;
      t.sections_.push_back(sec);
    }
    Section& sec = t.sections_[it->second];
    if (s.start) {
      uint32_t slot = static_cast<uint32_t>(s.slot);
      auto [owner, added] = t.by_slot_.emplace(slot, sec.id);
      if (!added && owner->second != sec.id)
        throw Error("slot " + std::to_string(slot) + " belongs to sections '" +
                        t.sections_[owner->second].name + "' and '" + sec.name +
                        "': the object links files instrumented apart; instrument them as one",
                    Errc::BadInput);
      if (!added) continue;  // the same site twice (a record duplicated by the linker)
      sec.hand |= s.hand;
      if (sec.slots.empty() || (s.file == sec.file && s.line < sec.line)) sec.line = s.line;
      if (sec.slots.empty()) sec.file = s.file;
      sec.slots.push_back(slot);
    } else {
      if (s.file == sec.file || !sec.ends) sec.end_line = std::max(sec.end_line, s.line);
      sec.ends++;
    }
  }
  for (Section& sec : t.sections_) {
    if (!sec.line) sec.line = sec.end_line;
    if (!sec.end_line) sec.end_line = sec.line;
    if (sec.slots.empty())
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
// of the same file whose source range strictly encloses this one: one sweep
// per file over the sections in source order, keeping the open ranges.
void SectionTable::link_parents(const std::vector<Site>& sites) {
  std::vector<bool> recorded(sections_.size(), false);
  for (const Site& s : sites) {
    if (!s.start || s.parent.empty()) continue;
    uint32_t id = by_name_.at(s.name);
    if (const Section* p = find(s.parent); p && p->id != id && !recorded[id]) {
      sections_[id].parent = static_cast<int>(p->id);
      recorded[id] = true;
    }
  }
  std::vector<uint32_t> order(sections_.size());
  for (uint32_t i = 0; i < order.size(); i++) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Section &x = sections_[a], &y = sections_[b];
    if (x.file != y.file) return x.file < y.file;
    if (x.line != y.line) return x.line < y.line;
    return x.end_line > y.end_line;  // the wider range first: it encloses
  });
  std::vector<uint32_t> open;
  for (size_t i = 0; i < order.size(); i++) {
    Section& sec = sections_[order[i]];
    if (i && sections_[order[i - 1]].file != sec.file) open.clear();
    auto encloses = [&](const Section& p) {
      return p.line <= sec.line && sec.end_line <= p.end_line &&
             (p.line < sec.line || sec.end_line < p.end_line);
    };
    while (!open.empty() && !encloses(sections_[open.back()])) open.pop_back();
    if (!recorded[sec.id] && !open.empty()) sec.parent = static_cast<int>(open.back());
    open.push_back(sec.id);
  }
  // A recorded cycle is broken where it is found; then depths, each chain
  // walked once.
  for (Section& sec : sections_) {
    int p = sec.parent;
    for (size_t steps = 0; p >= 0 && steps <= sections_.size(); steps++) {
      if (static_cast<uint32_t>(p) == sec.id) {
        warnings_.push_back("section '" + sec.name + "' is in a nesting cycle; shown at top level");
        sec.parent = -1;
        break;
      }
      p = sections_[p].parent;
    }
  }
  std::vector<int> depth(sections_.size(), -1);
  for (Section& sec : sections_) {
    std::vector<uint32_t> chain;
    for (int p = static_cast<int>(sec.id); p >= 0 && depth[p] < 0; p = sections_[p].parent)
      chain.push_back(static_cast<uint32_t>(p));
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      int parent = sections_[*it].parent;
      depth[*it] = parent < 0 ? 0 : depth[parent] + 1;
    }
    sec.depth = static_cast<unsigned>(depth[sec.id]);
  }
}

const Section* SectionTable::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &sections_[it->second];
}

const Section* SectionTable::by_slot(uint32_t slot) const {
  auto it = by_slot_.find(slot);
  return it == by_slot_.end() ? nullptr : &sections_[it->second];
}

}  // namespace inxpect
