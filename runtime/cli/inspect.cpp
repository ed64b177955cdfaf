// `inxpect list` and `inxpect probe`: what an object describes, read
// without loading it, and what this machine allows.
#include <iostream>

#include "commands.h"
#include "inxpect/abi.h"
#include "libinxpect/elf_file.h"
#include "libinxpect/error.h"
#include "libinxpect/json_writer.h"
#include "libinxpect/loader.h"
#include "libinxpect/probe.h"
#include "libinxpect/section_table.h"
#include "libinxpect/site_records.h"

namespace inxpect::cli {

int cmd_probe(const Args& args) {
  struct Cap {
    const char* name;
    bool (*check)();
  } caps[] = {{"bpf", can_test_run_xdp},
              {"perf-helper", xdp_can_read_perf_events},
              {"pmu", has_hardware_pmu},
              {"kmod", kmod_available}};
  if (args.positional().size() > 1) throw Error("probe takes at most one name", Errc::Usage);
  for (const Cap& c : caps) {
    if (!args.positional().empty() && args.positional()[0] != c.name) continue;
    bool ok = c.check();
    std::cout << c.name << ": " << (ok ? "yes" : "no") << "\n";
    if (!args.positional().empty()) return ok ? 0 : 1;
  }
  if (!args.positional().empty())
    throw Error("unknown capability '" + args.positional()[0] + "'", Errc::Usage);
  return 0;
}

std::string need_object(const Args& args) {
  if (args.positional().size() != 1)
    throw Error("expected one object file (see --help)", Errc::Usage);
  return args.positional()[0];
}

int cmd_list(const Args& args) {
  std::string path = need_object(args);
  std::string format = args.get("--format", "table");
  if (format != "table" && format != "json") throw Error("list prints table or json", Errc::Usage);
  check_bpf_object(path);
  SectionTable table;
  if (auto sites = read_site_records(path)) table = SectionTable::parse(*sites);
  std::vector<ProgramInfo> programs = list_programs(path);
  if (format == "json") {
    JsonWriter w(std::cout);
    w.begin_object().key("programs").begin_array();
    for (const ProgramInfo& p : programs)
      w.begin_object().field("name", p.name).field("section", p.section).end_object();
    w.end_array().key("sections").begin_array();
    for (const Section& s : table.sections()) {
      w.begin_object()
          .field("id", s.id)
          .field("name", s.name)
          .field("file", s.file)
          .field("line", s.line);
      w.field("end_line", s.end_line).key("parent");
      if (s.parent >= 0)
        w.value(s.parent);
      else
        w.null();
      w.end_object();
    }
    w.end_array().end_object();
    std::cout << "\n";
  } else {
    std::cout << "programs:\n";
    for (const ProgramInfo& p : programs)
      std::cout << "  " << p.name << "\t(" << p.section << ")\n";
    std::cout << "sections:\n";
    if (table.empty()) std::cout << "  none: " << path << " has no InXpect sections\n";
    for (const Section& s : table.sections())
      std::cout << s.id << "\t" << std::string(2 * size_t{s.depth}, ' ') << s.name << "\t" << s.file
                << ":" << s.line << "-" << s.end_line
                << "\tparent=" << (s.parent >= 0 ? table.sections()[s.parent].name : "-") << "\n";
  }
  for (const std::string& w : table.warnings()) std::cerr << "inxpect: warning: " << w << "\n";
  return 0;
}

}  // namespace inxpect::cli
