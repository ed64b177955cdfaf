// Where inxpect-cc finds clang, the plugin and the BPF headers, and how it
// runs clang.
#ifndef INXPECT_DRIVER_TOOLCHAIN_H
#define INXPECT_DRIVER_TOOLCHAIN_H

#include <string>
#include <vector>

namespace inxpect {

struct Toolchain {
  std::string Clang;       // the clang-19 the plugin was built for
  std::string ResourceDir; // its builtin headers
  std::string Plugin;      // inxpect-rewrite.so
  std::string BpfInclude;  // holds inxpect/inxpect.h
  std::string SysInclude;  // per-architecture <asm/types.h>
};

// Installed layout (relative to the executable) first, then the build tree.
// Returns false, with a message in Why, if a piece is missing.
bool findToolchain(Toolchain &T, std::string &Why);

// Runs Argv[0] with Argv; returns its exit status (128+signal if killed).
int run(const std::vector<std::string> &Argv);

// The process run() is waiting for, or 0: for signal handlers.
int runningChild();

} // namespace inxpect

#endif
