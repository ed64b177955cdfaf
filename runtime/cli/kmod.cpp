// `inxpect kmod load|unload|status`: the counter module, on the operator's
// explicit request (kmod.h; docs/kmod.md says what loading does to the
// kernel).
#include <iostream>

#include "commands.h"
#include "libinxpect/error.h"
#include "libinxpect/json_writer.h"
#include "libinxpect/kmod.h"

namespace inxpect::cli {
namespace {

// The kernel's taint flags that loading an out-of-tree, unsigned module
// sets, by letter (Documentation/admin-guide/tainted-kernels.rst).
std::string taint_letters(unsigned long t) {
  static const struct {
    int bit;
    char letter;
  } kFlags[] = {{0, 'P'}, {1, 'F'}, {12, 'O'}, {13, 'E'}};
  std::string s;
  for (const auto& f : kFlags)
    if (t & (1ul << f.bit)) s += f.letter;
  return s;
}

int status(const Args& args) {
  KmodStatus st = kmod_status();
  std::string format = args.get("--format", "table");
  if (format == "json") {
    JsonWriter w(std::cout);
    w.begin_object().field("loaded", st.loaded);
    if (st.loaded) {
      w.field("loaded_by", st.loaded_by).field("inxpect_users", st.inxpect_users);
      w.field("refcount", st.refcount).field("device", st.device);
    }
    w.field("file", st.file).key("file_problem");
    if (st.file_problem.empty())
      w.null();
    else
      w.value(st.file_problem);
    w.field("taint", st.taint).end_object();
    std::cout << "\n";
    return 0;
  }
  if (format != "table") throw Error("kmod status prints table or json", Errc::Usage);
  std::cout << "loaded: " << (st.loaded ? "yes" : "no") << "\n";
  if (st.loaded) {
    std::cout << "loaded by: " << st.loaded_by << "\n"
              << "inxpect processes using it: " << (st.inxpect_users ? "yes" : "no") << "\n"
              << "refcount: " << st.refcount << "\n"
              << "device: " << st.device << "\n";
  }
  std::cout << "module file: " << st.file << " ("
            << (st.file_problem.empty() ? "can be loaded" : st.file_problem) << ")\n";
  std::string letters = taint_letters(st.taint);
  std::cout << "kernel taint: " << st.taint << (letters.empty() ? "" : " (" + letters + ")")
            << "\n";
  return 0;
}

}  // namespace

int cmd_kmod(const Args& args) {
  if (args.positional().size() != 1)
    throw Error("expected one of load, unload, status (see inxpect kmod --help)", Errc::Usage);
  const std::string& what = args.positional()[0];
  if (args.has("--kmod") && what != "load")
    throw Error("--kmod PATH is for 'inxpect kmod load'", Errc::Usage);
  if (what == "status") return status(args);
  if (args.has("--format")) throw Error("--format is for 'inxpect kmod status'", Errc::Usage);
  if (what == "load") {
    std::cout << kmod_load_persistent(args.get("--kmod")) << "\n";
    return 0;
  }
  if (what == "unload") {
    std::cout << kmod_unload() << "\n";
    return 0;
  }
  throw Error("unknown kmod action '" + what + "' (load, unload, status)", Errc::Usage);
}

}  // namespace inxpect::cli
