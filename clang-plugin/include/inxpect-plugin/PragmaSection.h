// "#pragma inxpect section[(name)]": marks the compound statement that
// follows it as a section.  The handler only records where the pragma was;
// the instrumenter pairs it with the statement once the AST exists.
#ifndef INXPECT_PLUGIN_PRAGMA_SECTION_H
#define INXPECT_PLUGIN_PRAGMA_SECTION_H

#include "clang/Basic/SourceLocation.h"

#include <memory>
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
}

namespace inxpect {

struct PragmaSite {
  clang::SourceLocation Loc; // the pragma, in the file (not a macro)
  clang::SourceLocation End; // first file position after the pragma
  std::string Name;          // empty: named after the function and line
  bool Directive = false;    // "#pragma" (not _Pragma): the rewrite hides it
  bool Used = false;
};

using PragmaSites = std::vector<PragmaSite>;

// Registers the handler on PP; it appends to Sites in source order.
void registerSectionPragma(clang::Preprocessor &PP,
                           std::shared_ptr<PragmaSites> Sites);

} // namespace inxpect

#endif
