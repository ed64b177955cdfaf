// Counts the statement-level blocks of a function that basic-block mode
// measures, from clang's CFG (built with no edge pruned):
//
//  * the block after ENTRY: the function body;
//  * the target of each then edge of an if, of each else edge whose else is
//    not an else-if, of each loop's body edge (not do ... while (0));
//  * each block labelled by a case, a default, or an ordinary label that
//    stands directly in a switch body, unless an empty labelled block falls
//    into it (labels with no code between make one case group);
//  * each straight-line run (Shape::runs) that holds at least one CFG
//    element, once however many blocks its expressions span.
//
// Terminators and labels inside an excluded statement, a statement
// expression or a statement that one macro expansion holds whole are not
// counted: their blocks belong to the statement around them.  The count
// is independent of the instrumenter's walk: the instrumenter reports
// what it placed and skipped, and the two must agree.
#include "CfgCheck.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace inxpect {

namespace {

// Each statement of a run, to its run's number: the same sequences the
// instrumenter walks, found by a walk of their own.
struct RunIndex {
  const Shape &Sh;
  const Shape::Pred &Excluded;
  llvm::DenseMap<const Stmt *, unsigned> RunOf;
  unsigned Next = 0;

  RunIndex(const Shape &Sh, const Shape::Pred &Excluded)
      : Sh(Sh), Excluded(Excluded) {}

  void seq(const Sequence &Q, unsigned B, unsigned E) {
    for (const Run &R : Sh.runs(Q, B, E)) {
      for (unsigned I = R.First; I <= R.Last; ++I)
        RunOf[Q[I].S] = Next;
      ++Next;
    }
    for (unsigned I = B; I < E; ++I)
      if (Q[I].K == Item::Control)
        visit(Q[I].S);
  }
  void owner(Stmt *S) {
    Sequence Q;
    Sh.sequence(S, Q);
    seq(Q, 0, Q.size());
  }
  void arm(Stmt *A) {
    if (A && !Excluded(A) && !Sh.fromOneMacro(A))
      owner(A);
  }
  void visit(Stmt *S) {
    if (!S || Excluded(S) || isa<Expr>(S) || Sh.fromOneMacro(S))
      return;
    if (auto *C = dyn_cast<CompoundStmt>(S)) {
      owner(C);
    } else if (auto *If = dyn_cast<IfStmt>(S)) {
      arm(If->getThen());
      if (Stmt *E = If->getElse())
        isa<IfStmt>(E) ? visit(E) : arm(E);
    } else if (auto *F = dyn_cast<ForStmt>(S)) {
      arm(F->getBody());
    } else if (auto *W = dyn_cast<WhileStmt>(S)) {
      arm(W->getBody());
    } else if (auto *D = dyn_cast<DoStmt>(S)) {
      Sh.isDoWhileZero(D) ? visit(D->getBody()) : arm(D->getBody());
    } else if (auto *SW = dyn_cast<SwitchStmt>(S)) {
      if (!SW->getBody() || Excluded(SW->getBody()))
        return;
      Sequence Q;
      Sh.sequence(SW->getBody(), Q);
      for (const Group &G : Sh.groups(Q))
        seq(Q, G.Begin, G.End);
    } else {
      for (Stmt *C : S->children())
        visit(C);
    }
  }
};

} // namespace

unsigned cfgMeasuredBlocks(const FunctionDecl *FD, ASTContext &Ctx,
                           const Shape &Sh, const Shape::Pred &Excluded) {
  Stmt *Body = FD->getBody();
  CFG::BuildOptions BO;
  BO.PruneTriviallyFalseEdges = false;
  std::unique_ptr<CFG> G = CFG::buildCFG(FD, Body, &Ctx, BO);
  if (!G)
    return 0;
  ParentMap PM(Body);
  // The CFG splits "int a, b;" into one synthetic declaration per variable.
  llvm::DenseMap<const Stmt *, const Stmt *> Original;
  for (auto [Synthetic, Source] : G->synthetic_stmts())
    Original[Synthetic] = Source;

  auto Active = [&](const Stmt *S) {
    for (const Stmt *X = S; X; X = PM.getParent(X))
      if (Excluded(X) || isa<StmtExpr>(X) || Sh.fromOneMacro(X))
        return false;
    return true;
  };
  auto Counted = [&](const Stmt *Arm) { return Arm && !Excluded(Arm); };
  // The switch whose body a label stands in directly, if any.
  auto SwitchOf = [&](const Stmt *L) -> const SwitchStmt * {
    const Stmt *X = L;
    for (const Stmt *P = PM.getParent(X); P; X = P, P = PM.getParent(P)) {
      if (auto *SW = dyn_cast<SwitchStmt>(P))
        return SW->getBody() == X ? SW : nullptr;
      if (isa<LabelStmt, SwitchCase>(P))
        continue;
      auto *C = dyn_cast<CompoundStmt>(P);
      auto *Up = C ? dyn_cast_or_null<SwitchStmt>(PM.getParent(C)) : nullptr;
      if (C && ((Up && Up->getBody() == C) || Sh.flattened(C)))
        continue;
      return nullptr;
    }
    return nullptr;
  };
  auto GroupLabel = [&](const CFGBlock *B) -> const SwitchStmt * {
    const Stmt *L = B->getLabel();
    if (!L || !isa<LabelStmt, SwitchCase>(L))
      return nullptr;
    const SwitchStmt *SW = SwitchOf(L);
    return SW && Active(SW) && !Excluded(SW->getBody()) ? SW : nullptr;
  };
  auto Empty = [&](const CFGBlock *B) {
    if (B->getTerminatorStmt())
      return false;
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>();
          !CS || !Shape::isFallthrough(CS->getStmt()))
        return false;
    return true;
  };

  unsigned N = 1; // the body
  llvm::DenseSet<unsigned> Runs;
  RunIndex RI(Sh, Excluded);
  RI.owner(Body);
  for (const CFGBlock *B : *G) {
    if (B == &G->getEntry() || B == &G->getExit())
      continue;
    if (const Stmt *T = B->getTerminatorStmt(); T && Active(T)) {
      if (auto *If = dyn_cast<IfStmt>(T)) {
        N += Counted(If->getThen());
        N += Counted(If->getElse()) && !isa<IfStmt>(If->getElse());
      } else if (auto *F = dyn_cast<ForStmt>(T)) {
        N += Counted(F->getBody());
      } else if (auto *W = dyn_cast<WhileStmt>(T)) {
        N += Counted(W->getBody());
      } else if (auto *D = dyn_cast<DoStmt>(T)) {
        N += Counted(D->getBody()) && !Sh.isDoWhileZero(D);
      }
    }
    if (const SwitchStmt *SW = GroupLabel(B)) {
      bool Head = true;
      for (const CFGBlock::AdjacentBlock &P : B->preds())
        if (const CFGBlock *PB = P.getReachableBlock())
          if (GroupLabel(PB) == SW && Empty(PB) && PB->succ_size() == 1)
            Head = false;
      N += Head;
    }
    for (const CFGElement &E : *B) {
      auto CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *S = CS->getStmt();
      if (auto It = Original.find(S); It != Original.end())
        S = It->second;
      for (const Stmt *X = S; X; X = PM.getParent(X))
        if (auto It = RI.RunOf.find(X); It != RI.RunOf.end()) {
          Runs.insert(It->second);
          break;
        }
    }
  }
  return N + Runs.size();
}

} // namespace inxpect
