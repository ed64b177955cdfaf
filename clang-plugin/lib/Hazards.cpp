#include "Hazards.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"

#include <algorithm>

using namespace clang;

namespace inxpect {

namespace {

// Source-ordered lock and unlock calls, and everything else the hazards
// need, of one body.
struct Scan : RecursiveASTVisitor<Scan> {
  const Shape &Sh;
  struct Call {
    unsigned B, E;
    SourceLocation Loc;
    bool Lock;
  };
  std::vector<Call> LockCalls;
  std::vector<unsigned> JumpAt; // offsets of return/break/continue/goto
  std::vector<std::pair<const Stmt *, const Stmt *>> Gotos, AsmGotos;
  std::vector<const SwitchStmt *> Switches;
  SourceLocation Computed;

  explicit Scan(const Shape &Sh) : Sh(Sh) {}

  bool VisitStmt(Stmt *S) {
    if (isSpinLock(S) || isSpinUnlock(S)) {
      Span Sp = Sh.span(S);
      LockCalls.push_back({Sp.B, Sp.E, S->getBeginLoc(), isSpinLock(S)});
    }
    if (isa<ReturnStmt, BreakStmt, ContinueStmt, GotoStmt>(S))
      JumpAt.push_back(Sh.offset(S->getBeginLoc()));
    if (auto *G = dyn_cast<GotoStmt>(S))
      if (const LabelStmt *L = G->getLabel()->getStmt())
        Gotos.push_back({G, L});
    if (auto *G = dyn_cast<GCCAsmStmt>(S))
      for (const AddrLabelExpr *L : G->labels())
        if (const LabelStmt *LS = L->getLabel()->getStmt())
          AsmGotos.push_back({G, LS});
    if (auto *SW = dyn_cast<SwitchStmt>(S))
      Switches.push_back(SW);
    if (isa<IndirectGotoStmt>(S) && Computed.isInvalid())
      Computed = S->getBeginLoc();
    return true;
  }
};

} // namespace

void Hazards::scan(const FunctionDecl *FD) {
  Into.clear();
  Asm.clear();
  Locks.clear();
  ComputedGoto = SourceLocation();
  Naked = FD->hasAttr<NakedAttr>();
  Scan Sc(Sh);
  Sc.TraverseStmt(FD->getBody());
  ComputedGoto = Sc.Computed;

  for (auto [G, L] : Sc.Gotos)
    Into.push_back({Sh.offset(G->getBeginLoc()), Sh.offset(L->getBeginLoc()),
                    G->getBeginLoc()});
  for (auto [G, L] : Sc.AsmGotos) {
    Edge E{Sh.offset(G->getBeginLoc()), Sh.offset(L->getBeginLoc()),
           G->getBeginLoc()};
    Into.push_back(E);
    Asm.push_back(E);
  }
  for (const SwitchStmt *SW : Sc.Switches)
    for (const SwitchCase *C = SW->getSwitchCaseList(); C;
         C = C->getNextSwitchCase())
      Into.push_back({Sh.offset(SW->getBeginLoc()), Sh.offset(C->getBeginLoc()),
                      C->getBeginLoc()});
  std::sort(Into.begin(), Into.end(),
            [](const Edge &A, const Edge &B) { return A.To < B.To; });
  std::sort(Asm.begin(), Asm.end(),
            [](const Edge &A, const Edge &B) { return A.From < B.From; });

  // A lock holds from its call to the next unlock (or the end).
  std::sort(Sc.LockCalls.begin(), Sc.LockCalls.end(),
            [](const auto &A, const auto &B) { return A.B < B.B; });
  std::sort(Sc.JumpAt.begin(), Sc.JumpAt.end());
  unsigned BodyEnd = Sh.span(FD->getBody()).E;
  for (size_t I = 0; I < Sc.LockCalls.size(); ++I) {
    if (!Sc.LockCalls[I].Lock)
      continue;
    Lock L{{Sc.LockCalls[I].B, BodyEnd}, Sc.LockCalls[I].Loc, false};
    for (size_t J = I + 1; J < Sc.LockCalls.size(); ++J)
      if (!Sc.LockCalls[J].Lock) {
        L.S.E = Sc.LockCalls[J].E;
        break;
      }
    auto It = std::lower_bound(Sc.JumpAt.begin(), Sc.JumpAt.end(), L.S.B);
    L.Jumps = It != Sc.JumpAt.end() && *It <= L.S.E;
    Locks.push_back(L);
  }
}

bool Hazards::entered(Span S, SourceLocation &At) const {
  auto It =
      std::lower_bound(Into.begin(), Into.end(), S.B,
                       [](const Edge &E, unsigned O) { return E.To < O; });
  for (; It != Into.end() && It->To <= S.E; ++It)
    if (!S.contains(It->From)) {
      At = It->Where;
      return true;
    }
  return false;
}

bool Hazards::asmGotoOut(Span S, SourceLocation &At) const {
  auto It =
      std::lower_bound(Asm.begin(), Asm.end(), S.B,
                       [](const Edge &E, unsigned O) { return E.From < O; });
  for (; It != Asm.end() && It->From <= S.E; ++It)
    if (!S.contains(It->To)) {
      At = It->Where;
      return true;
    }
  return false;
}

bool Hazards::locked(Span S, SourceLocation &At) const {
  for (const Lock &L : Locks)
    if (S.overlaps(L.S) && (!S.contains(L.S) || L.Jumps)) {
      At = L.Call;
      return true;
    }
  return false;
}

llvm::DenseMap<const FunctionDecl *, SourceLocation>
lockedCallees(ASTContext &Ctx) {
  llvm::DenseMap<const FunctionDecl *, SourceLocation> Out;
  std::vector<const FunctionDecl *> Work;
  // Calls made between a lock and its unlock, in source order.
  struct Finder : RecursiveASTVisitor<Finder> {
    int Held = 0;
    std::vector<std::pair<const FunctionDecl *, SourceLocation>> Calls;
    bool TraverseCallExpr(CallExpr *CE) {
      bool Lock = isSpinLock(CE), Unlock = isSpinUnlock(CE);
      if (Held > 0 && !Lock && !Unlock)
        if (const FunctionDecl *F = CE->getDirectCallee())
          Calls.push_back({F, CE->getBeginLoc()});
      RecursiveASTVisitor::TraverseCallExpr(CE);
      Held += Lock ? 1 : Unlock ? -1 : 0;
      return true;
    }
  };
  // All calls of a function: what runs under a lock its caller holds.
  struct AllCalls : RecursiveASTVisitor<AllCalls> {
    std::vector<const FunctionDecl *> Callees;
    bool VisitCallExpr(CallExpr *CE) {
      if (const FunctionDecl *F = CE->getDirectCallee())
        Callees.push_back(F);
      return true;
    }
  };
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      continue;
    Finder F;
    F.TraverseStmt(FD->getBody());
    for (auto [Callee, Loc] : F.Calls)
      if (Out.try_emplace(Callee->getCanonicalDecl(), Loc).second)
        Work.push_back(Callee);
  }
  while (!Work.empty()) {
    const FunctionDecl *F = Work.back();
    Work.pop_back();
    const FunctionDecl *Def = nullptr;
    if (!F->hasBody(Def))
      continue;
    AllCalls A;
    A.TraverseStmt(Def->getBody());
    SourceLocation Why = Out.lookup(F->getCanonicalDecl());
    for (const FunctionDecl *C : A.Callees)
      if (Out.try_emplace(C->getCanonicalDecl(), Why).second)
        Work.push_back(C);
  }
  return Out;
}

} // namespace inxpect
