// What the rewrite plugin instruments, parsed from its -plugin-arg-* values.
#ifndef INXPECT_PLUGIN_OPTIONS_H
#define INXPECT_PLUGIN_OPTIONS_H

#include <string>

namespace inxpect {

struct Options {
  bool Functions = false;    // annotated functions
  bool Blocks = false;       // blocks marked with #pragma inxpect section
  bool BasicBlocks = false;  // every compound statement of functions in scope
  bool ScopeAll = false;     // functions/basic-blocks apply to every function
  bool Inline = false;       // measuring code inlined at each site, not called
  std::string OutPath = "-"; // where the rewritten main file goes
};

} // namespace inxpect

#endif
