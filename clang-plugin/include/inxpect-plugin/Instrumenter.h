// The AST consumer that inserts START/END tracing around the selected
// functions and blocks and writes the rewritten main file.
#ifndef INXPECT_PLUGIN_INSTRUMENTER_H
#define INXPECT_PLUGIN_INSTRUMENTER_H

#include "inxpect-plugin/Options.h"
#include "inxpect-plugin/PragmaSection.h"

#include <memory>

namespace clang {
class ASTConsumer;
class CompilerInstance;
} // namespace clang

namespace inxpect {

std::unique_ptr<clang::ASTConsumer>
makeInstrumenter(clang::CompilerInstance &CI, const Options &Opts,
                 std::shared_ptr<PragmaSites> Pragmas);

} // namespace inxpect

#endif
