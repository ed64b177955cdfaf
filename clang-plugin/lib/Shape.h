// The statement-level shape of a function body that basic-block mode
// measures (docs/instrumentation.md, "Basic blocks"): the sequences of
// statements in compound statements, arms and case groups, what each
// statement of a sequence is, the straight-line runs and the case groups.
// The instrumenter places sections from it; the CFG check (CfgCheck.cpp)
// uses the same definitions against clang's own CFG.
#ifndef INXPECT_PLUGIN_SHAPE_H
#define INXPECT_PLUGIN_SHAPE_H

#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"

#include <functional>
#include <vector>

namespace clang {
class ASTContext;
class DoStmt;
} // namespace clang

namespace inxpect {

// What one statement of a sequence is.
enum class Item {
  Simple,  // straight-line: expression, declaration, null statement, with
           // no jump out of it, no label in it and no bpf_spin_lock or
           // unlock call (a run must not hold one end of a locked region);
           // runs are made of these
  Jump,    // return, break, continue, goto
  Label,   // a label (case, default or ordinary); its statement follows
  Control, // anything else: if, loops, switch, asm goto, a statement with
           // a jump or a label inside, an excluded or marked block
  Inert,   // a fallthrough attribute: stays right before its label
};

struct Entry {
  clang::Stmt *S;
  Item K;
};
using Sequence = std::vector<Entry>;

struct Run {
  unsigned First, Last; // entry indices, both included
};

struct Group {
  std::vector<unsigned> Labels; // entry indices; the last ':' starts it
  unsigned Begin, End;          // its statements: entries [Begin, End)
};

// A span of main-file offsets (expansion locations), both ends included.
struct Span {
  unsigned B = 0, E = 0;
  bool contains(unsigned O) const { return B <= O && O <= E; }
  bool contains(Span S) const { return B <= S.B && S.E <= E; }
  bool overlaps(Span S) const { return !(S.E < B || E < S.B); }
};

class Shape {
public:
  using Pred = std::function<bool(const clang::Stmt *)>;
  // Excluded: "#pragma inxpect exclude" precedes the statement.  Marked:
  // the compound statement is a section of its own (blocks mode), so it
  // is not merged into the sequence around it.
  Shape(const clang::SourceManager &SM, clang::ASTContext &Ctx, Pred Excluded,
        Pred Marked);

  // The statements of S in order (S's children if it is a compound):
  // compound statements without a section of their own are flattened
  // (braces make no basic block) and each label is its own entry, followed
  // by its statement.
  void sequence(clang::Stmt *S, Sequence &Out) const;
  Item kind(const clang::Stmt *S) const;
  // The runs of entries [B, E) that are sections: none when the entries
  // have no control flow (the run is the whole block), and never a run of
  // statements without code (null statements, type declarations).
  std::vector<Run> runs(const Sequence &Seq, unsigned B, unsigned E) const;
  // The case groups of a switch body's sequence.  Labels with no code
  // between them make one group.
  std::vector<Group> groups(const Sequence &Seq) const;

  // Whether a jump inside S can leave Within: return; break or continue
  // not caught by a loop or switch inside S; goto or asm goto to a label
  // outside Within.
  bool leaves(const clang::Stmt *S, Span Within) const;
  bool hasLabel(const clang::Stmt *S) const;
  static bool hasSpinLock(const clang::Stmt *S);
  // Whether S comes whole from one macro expansion (its control flow is
  // the macro's, not the source's).
  bool fromOneMacro(const clang::Stmt *S) const;
  bool isDoWhileZero(const clang::DoStmt *D) const;
  static bool isFallthrough(const clang::Stmt *S);
  // A statement that compiles to no code: a null statement or a
  // declaration of no variable.
  static bool isEmpty(const clang::Stmt *S);

  Span span(const clang::Stmt *S) const;
  unsigned offset(clang::SourceLocation L) const;
  bool flattened(const clang::CompoundStmt *C) const;

private:
  void add(clang::Stmt *S, Sequence &Out) const;

  const clang::SourceManager &SM;
  clang::ASTContext &Ctx;
  Pred Excluded, Marked;
};

bool isSpinLock(const clang::Stmt *S);   // a call of bpf_spin_lock & co.
bool isSpinUnlock(const clang::Stmt *S); // ... of bpf_spin_unlock & co.

} // namespace inxpect

#endif
