// Section names: C identifiers, automatic names that never collide, and
// one file per name.
#ifndef INXPECT_PLUGIN_NAMES_H
#define INXPECT_PLUGIN_NAMES_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <string>

namespace inxpect {

// [A-Za-z_][A-Za-z0-9_]*: what the runtime accepts (no '$', no UTF-8).
bool isIdentifier(llvm::StringRef S);

class Names {
public:
  // A name a section has before any automatic name is made: annotations,
  // pragmas, hand-written START_TRACE/END_TRACE.
  void reserve(llvm::StringRef Name) { Taken.insert(Name); }

  // <Fn>_L<Line>; if taken, then <Fn>_L<Line>_C<Col>; if taken too, a
  // counter after that (_2, _3, ...).  Never a name already in use.
  std::string automatic(llvm::StringRef Fn, unsigned Line, unsigned Col);

  struct Use {
    std::string File;
    clang::SourceLocation Loc;
  };
  // Records that Name has a site in File.  Sections of one name are one
  // section to the runtime, located in one file: returns the earlier use
  // when it is in another file (nullptr otherwise).
  const Use *use(llvm::StringRef Name, llvm::StringRef File,
                 clang::SourceLocation Loc);

private:
  llvm::StringSet<> Taken;
  llvm::StringMap<Use> Files;
};

} // namespace inxpect

#endif
