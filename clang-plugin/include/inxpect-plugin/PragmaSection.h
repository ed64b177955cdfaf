// "#pragma inxpect section[(name)]" marks the compound statement that
// follows it as a section; "#pragma inxpect exclude" keeps every section
// out of the statement that follows it.  The handlers only record where
// each pragma was; the instrumenter pairs it with a statement once the AST
// exists.
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
  enum KindTy { Section, Exclude } Kind = Section;
  clang::SourceLocation Loc; // the pragma, in the file (not a macro)
  clang::SourceLocation End; // first file position after the pragma
  std::string Name;       // section: empty means named after function and line
  bool Directive = false; // "#pragma" (not _Pragma): the rewrite hides it
  bool Used = false;
};

using PragmaSites = std::vector<PragmaSite>;

// Registers both handlers on PP; they append to Sites in source order.
void registerSectionPragma(clang::Preprocessor &PP,
                           std::shared_ptr<PragmaSites> Sites);

} // namespace inxpect

#endif
