// What the rewrite plugin instruments, parsed from its -plugin-arg-* values.
#ifndef INXPECT_PLUGIN_OPTIONS_H
#define INXPECT_PLUGIN_OPTIONS_H

#include <string>

namespace inxpect {

struct Options {
  bool Functions = false; // annotated functions
  bool Blocks = false;    // blocks marked with #pragma inxpect section
  bool BasicBlocks =
      false; // every statement-level basic block of functions in scope
  bool ScopeAll = false;     // functions/basic-blocks apply to every function
  bool Inline = false;       // measuring code inlined at each site, not called
  bool CheckCfg = false;     // compare basic-block sections with clang's CFG
  bool BareCopy = false;     // functions with sections keep their body as
                             // written, for the runs sampling does not measure
  std::string OutPath = "-"; // where the rewritten main file goes
};

// Defined while the plugin parses, so that <inxpect/annotate.h> spells its
// attributes for the plugin only: a plain-clang build, and the compile of
// the rewritten source, see none (they would make clang emit an
// out-of-line copy of every annotated function).
inline constexpr const char *RewriteMacro = "__INXPECT_REWRITE__";

} // namespace inxpect

#endif
