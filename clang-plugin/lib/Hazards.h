// What makes a section impossible to place in a function: a jump into the
// scope the section would open, an asm goto out of it (clang refuses both
// for a scope with a cleanup variable), a bpf_spin_lock held where START
// or END would run (the verifier refuses calls there), a computed goto
// (jumps out of cleanup scopes) and a naked function (no code but asm).
#ifndef INXPECT_PLUGIN_HAZARDS_H
#define INXPECT_PLUGIN_HAZARDS_H

#include "Shape.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace inxpect {

class Hazards {
public:
  explicit Hazards(const Shape &Sh) : Sh(Sh) {}

  // Scans one function's body (main-file offsets).
  void scan(const clang::FunctionDecl *FD);

  // A jump (goto, asm goto, switch to case) lands inside S from outside;
  // At is where the jump is.
  bool entered(Span S, clang::SourceLocation &At) const;
  // An asm goto inside S can jump out of it.
  bool asmGotoOut(Span S, clang::SourceLocation &At) const;
  // START or END of a section over S could run with a bpf_spin_lock held:
  // S overlaps a locked region without containing it, or contains one
  // that a jump leaves early.  At is the lock call.
  bool locked(Span S, clang::SourceLocation &At) const;

  clang::SourceLocation ComputedGoto; // valid: the function has one
  bool Naked = false;

private:
  struct Edge {
    unsigned From, To;
    clang::SourceLocation Where;
  };
  struct Lock {
    Span S;
    clang::SourceLocation Call;
    bool Jumps; // a return/break/continue/goto lies inside
  };
  const Shape &Sh;
  std::vector<Edge> Into; // sorted by To
  std::vector<Edge> Asm;  // asm goto edges, sorted by From
  std::vector<Lock> Locks;
};

// Functions of the translation unit that run while a bpf_spin_lock is
// held: called, directly or through other functions, between a lock and
// its unlock.  Maps each to the call that puts it there.
llvm::DenseMap<const clang::FunctionDecl *, clang::SourceLocation>
lockedCallees(clang::ASTContext &Ctx);

} // namespace inxpect

#endif
