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
      "site=start\0name=body\0file=x.c\0line=3\0site=end\0name=body\0file=x.c\0line=9\0"s);
  inxpect::Snapshot snap;
  snap.total.assign(1, inxpect::SectionStats{});
  snap.total[0].count = 2;
  snap.total[0].ev[0] = inxpect::EventStats{10, 4, 6};
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
  std::cout << "max sections " << INXPECT_MAX_SECTIONS << "\n";
  return 0;
}
