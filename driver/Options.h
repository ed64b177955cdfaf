// inxpect-cc's own options: the one table that parse() reads their names
// from and that --help, the man page (--help-man) and the bash completion
// (--help-bash) are written from.  Every other option goes to clang.
#ifndef INXPECT_DRIVER_OPTIONS_H
#define INXPECT_DRIVER_OPTIONS_H

#include <cstdio>
#include <string>

namespace inxpect {

enum class Opt {
  Sections,   // -fprofile-sections
  SectionsEq, // -fprofile-sections=LIST
  Scope,      // -fprofile-sections-scope=SCOPE
  Inline,     // -fprofile-sections-inline
  BareCopy,   // -fprofile-sections-bare-copy
  Emit,       // --emit-instrumented=FILE
  SaveTemps,  // -save-temps[=...]
  Help,       // --help
  Version,    // --version
};

struct DriverOption {
  Opt Id;
  const char *Name;    // "-fprofile-sections=": a trailing '=' takes a value
  const char *Value;   // "LIST", or nullptr
  const char *Choices; // "functions blocks basic-blocks", or nullptr
  const char *Help;
};

// The option Arg spells (exactly, or NAME=VALUE), or nullptr.
const DriverOption *findOption(const std::string &Arg);

void printHelp(FILE *Out);
void printMan(FILE *Out);
void printBashCompletion(FILE *Out);

} // namespace inxpect

#endif
