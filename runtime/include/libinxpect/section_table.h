// The sections an instrumented object describes about itself, read from the
// START/END site records in its ".inxpect.sites" ELF section (see abi.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inxpect {

struct Site {
  bool start = true;  // START_TRACE, else END_TRACE
  std::string name;
  std::string file;
  unsigned line = 0;
  std::string parent;  // only when the instrumenter recorded it
  bool call = false;   // measured through the out-of-line START/END
};

struct Section {
  uint32_t id = 0;  // index in the table; what the loader writes into the object
  std::string name;
  std::string file;
  unsigned line = 0;         // first START
  unsigned end_line = 0;     // last END
  int parent = -1;           // id of the enclosing section, or -1
  unsigned depth = 0;        // nesting depth, 0 for top-level sections
  unsigned starts = 0;       // START sites
  unsigned ends = 0;         // END sites
  bool out_of_line = false;  // START sites measure through a call (inxpect-cc)
};

class SectionTable {
 public:
  SectionTable() = default;
  // Parses the raw bytes of ".inxpect.sites".  Throws Error on records that
  // are malformed.  Ids follow the first appearance of each name.
  static SectionTable parse(std::string_view bytes);

  const std::vector<Section>& sections() const { return sections_; }
  const Section* find(std::string_view name) const;
  bool empty() const { return sections_.empty(); }
  // Problems that do not stop profiling, such as a START with no END.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  void link_parents(const std::vector<Site>& sites);
  std::vector<Section> sections_;
  std::vector<std::string> warnings_;
};

// Splits the site records out of the section bytes (exposed for tests).
std::vector<Site> parse_sites(std::string_view bytes);

}  // namespace inxpect
