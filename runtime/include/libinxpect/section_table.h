// The sections an instrumented object describes about itself, read from the
// START/END site records (site_records.h, abi.h).
// Each START site owns a slot, fixed when the object was compiled; the
// measurements the object keeps name slots, and this table names them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace inxpect {

struct Site {
  bool start = true;  // a START site, else an END site
  std::string name;
  std::string file;
  unsigned line = 0;
  std::string parent;  // the enclosing section, when the instrumenter knows it
  int64_t slot = -1;   // START sites: the slot (base= already added)
  bool hand = false;   // START_TRACE/END_TRACE, written by hand
};

struct Section {
  uint32_t id = 0;  // index in the table: report order
  std::string name;
  std::string file;
  unsigned line = 0;            // first START
  unsigned end_line = 0;        // last END
  int parent = -1;              // id of the enclosing section in the source, or -1
  unsigned depth = 0;           // nesting depth in the source, 0 at top level
  std::vector<uint32_t> slots;  // its START sites
  unsigned ends = 0;            // END sites
  bool hand = false;            // hand-written (its own calibration)
};

class SectionTable {
 public:
  SectionTable() = default;
  // Parses site records (read_site_records).  Throws Error on records
  // that are malformed, come from an older inxpect.h, or give one slot two
  // names.  Ids follow the first appearance of each name.
  static SectionTable parse(std::string_view bytes);

  const std::vector<Section>& sections() const { return sections_; }
  const Section* find(std::string_view name) const;
  // The section that owns START slot `slot`, or null.
  const Section* by_slot(uint32_t slot) const;
  bool empty() const { return sections_.empty(); }
  // Problems that do not stop profiling, such as a START with no END.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  void link_parents(const std::vector<Site>& sites);
  std::vector<Section> sections_;
  std::map<std::string, uint32_t, std::less<>> by_name_;
  std::unordered_map<uint32_t, uint32_t> by_slot_;
  std::vector<std::string> warnings_;
};

// Splits the site records out of the section bytes (exposed for tests).
std::vector<Site> parse_sites(std::string_view bytes);

}  // namespace inxpect
