// The check behind the plugin's check-cfg argument: how many sections
// basic-block mode must make in a function, counted on clang's own CFG
// (docs/instrumentation.md, "Basic blocks", gives the mapping).
#ifndef INXPECT_PLUGIN_CFG_CHECK_H
#define INXPECT_PLUGIN_CFG_CHECK_H

#include "Shape.h"

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace inxpect {

unsigned cfgMeasuredBlocks(const clang::FunctionDecl *FD,
                           clang::ASTContext &Ctx, const Shape &Sh,
                           const Shape::Pred &Excluded);

} // namespace inxpect

#endif
