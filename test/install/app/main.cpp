// Parses a section table and prints a report, reads an object's programs
// when given one: the core and the runtime library, through installed
// headers only.
#include <iostream>
#include <string>

#include <inxpect/abi.h>
#include <libinxpect/loader.h>
#include <libinxpect/report.h>

using namespace std::string_literals;

int main(int argc, char** argv) {
  inxpect::SectionTable table = inxpect::SectionTable::parse(
      "site=start\0name=body\0slot=0\0file=x.c\0line=3\0site=end\0name=body\0file=x.c\0line=9\0"s);
  inxpect::Snapshot snap;
  inxpect::PathStats p;
  p.key = 1;
  p.depth = 1;
  p.stats.count = 2;
  p.stats.ev[0] = inxpect::EventStats{10, 4, 6};
  snap.paths.push_back(p);
  inxpect::Report r;
  r.object = "x.o";
  r.program = "xdp_x";
  r.backend = "ktime";
  r.events = {inxpect::Event{"ktime", "ns", inxpect::Source::Ktime}};
  inxpect::fill_rows(r, table, snap, false);
  inxpect::make_formatter("json")->write(r, std::cout);
  if (argc > 1)
    for (const inxpect::ProgramInfo& p : inxpect::list_programs(argv[1]))
      std::cout << p.name << "\n";
  std::cout << "abi " << INXPECT_ABI_VERSION << "\n";
  return 0;
}
