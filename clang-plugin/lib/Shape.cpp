#include "Shape.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

using namespace clang;

namespace inxpect {

Shape::Shape(const SourceManager &SM, ASTContext &Ctx, Pred Excluded,
             Pred Marked)
    : SM(SM), Ctx(Ctx), Excluded(std::move(Excluded)),
      Marked(std::move(Marked)) {}

unsigned Shape::offset(SourceLocation L) const {
  return SM.getFileOffset(SM.getExpansionLoc(L));
}

Span Shape::span(const Stmt *S) const {
  return {offset(S->getBeginLoc()),
          SM.getFileOffset(SM.getExpansionRange(S->getEndLoc()).getEnd())};
}

bool Shape::flattened(const CompoundStmt *C) const {
  return !Excluded(C) && !Marked(C) && C->getLBracLoc().isFileID() &&
         C->getRBracLoc().isFileID();
}

void Shape::sequence(Stmt *S, Sequence &Out) const {
  if (auto *C = dyn_cast_or_null<CompoundStmt>(S)) {
    for (Stmt *Child : C->body())
      add(Child, Out);
    return;
  }
  add(S, Out);
}

void Shape::add(Stmt *S, Sequence &Out) const {
  if (!S)
    return;
  if (!Excluded(S)) {
    if (auto *C = dyn_cast<CompoundStmt>(S); C && flattened(C)) {
      for (Stmt *Child : C->body())
        add(Child, Out);
      return;
    }
    if (isa<LabelStmt, SwitchCase>(S)) {
      Out.push_back({S, Item::Label});
      if (auto *L = dyn_cast<LabelStmt>(S))
        add(L->getSubStmt(), Out);
      else
        add(cast<SwitchCase>(S)->getSubStmt(), Out);
      return;
    }
  }
  Out.push_back({S, kind(S)});
}

bool Shape::isFallthrough(const Stmt *S) {
  auto *A = dyn_cast<AttributedStmt>(S);
  if (!A)
    return false;
  for (const Attr *At : A->getAttrs())
    if (isa<FallThroughAttr>(At))
      return true;
  return false;
}

bool Shape::isEmpty(const Stmt *S) {
  if (isa<NullStmt>(S))
    return true;
  if (auto *D = dyn_cast<DeclStmt>(S)) {
    for (const Decl *Dl : D->decls())
      if (isa<VarDecl>(Dl))
        return false;
    return true;
  }
  return false;
}

Item Shape::kind(const Stmt *S) const {
  if (Excluded(S))
    return Item::Control;
  if (isa<LabelStmt, SwitchCase>(S))
    return Item::Label;
  if (isFallthrough(S))
    return Item::Inert;
  if (auto *A = dyn_cast<AttributedStmt>(S))
    return kind(A->getSubStmt());
  if (isa<ReturnStmt, BreakStmt, ContinueStmt, GotoStmt, IndirectGotoStmt>(S))
    return Item::Jump;
  if (auto *G = dyn_cast<GCCAsmStmt>(S); G && G->isAsmGoto())
    return Item::Control;
  bool Straight = isa<NullStmt, DeclStmt, Expr, AsmStmt>(S);
  // Braces a macro made: one statement of the source, like the macro.
  if (auto *C = dyn_cast<CompoundStmt>(S))
    Straight = !Marked(C);
  if (Straight && !leaves(S, span(S)) && !hasLabel(S) && !hasSpinLock(S))
    return Item::Simple;
  return Item::Control;
}

namespace {

// Walks S for jumps that leave Within.
struct ExitScan {
  const Shape &Sh;
  Span Within;

  bool operator()(const Stmt *X, bool InLoop, bool InSwitch) const {
    if (!X)
      return false;
    switch (X->getStmtClass()) {
    case Stmt::ReturnStmtClass:
    case Stmt::IndirectGotoStmtClass:
      return true;
    case Stmt::BreakStmtClass:
      return !InLoop && !InSwitch;
    case Stmt::ContinueStmtClass:
      return !InLoop;
    case Stmt::GotoStmtClass: {
      const LabelStmt *L = cast<GotoStmt>(X)->getLabel()->getStmt();
      return !L || !Within.contains(Sh.offset(L->getBeginLoc()));
    }
    case Stmt::GCCAsmStmtClass: {
      auto *G = cast<GCCAsmStmt>(X);
      for (const AddrLabelExpr *L : G->labels())
        if (const LabelStmt *LS = L->getLabel()->getStmt();
            !LS || !Within.contains(Sh.offset(LS->getBeginLoc())))
          return true;
      break;
    }
    case Stmt::ForStmtClass:
    case Stmt::WhileStmtClass:
    case Stmt::DoStmtClass:
      InLoop = true;
      break;
    case Stmt::SwitchStmtClass:
      InSwitch = true;
      break;
    default:
      break;
    }
    for (const Stmt *C : X->children())
      if ((*this)(C, InLoop, InSwitch))
        return true;
    return false;
  }
};

bool anyLabel(const Stmt *X) {
  if (!X)
    return false;
  if (isa<LabelStmt, SwitchCase>(X))
    return true;
  for (const Stmt *C : X->children())
    if (anyLabel(C))
      return true;
  return false;
}

} // namespace

bool Shape::leaves(const Stmt *S, Span Within) const {
  return ExitScan{*this, Within}(S, false, false);
}

bool Shape::hasLabel(const Stmt *S) const { return anyLabel(S); }

namespace {

llvm::StringRef calleeName(const Stmt *S) {
  auto *CE = dyn_cast<CallExpr>(S);
  if (!CE)
    return "";
  // Helpers are constant function pointers, kfuncs are functions.
  if (auto *ND = dyn_cast_or_null<NamedDecl>(CE->getCalleeDecl()))
    if (ND->getIdentifier())
      return ND->getName();
  return "";
}

} // namespace

bool isSpinLock(const Stmt *S) {
  llvm::StringRef N = calleeName(S);
  return N == "bpf_spin_lock" || N == "bpf_res_spin_lock" ||
         N == "bpf_res_spin_lock_irqsave";
}

bool isSpinUnlock(const Stmt *S) {
  llvm::StringRef N = calleeName(S);
  return N == "bpf_spin_unlock" || N == "bpf_res_spin_unlock" ||
         N == "bpf_res_spin_unlock_irqrestore";
}

bool Shape::hasSpinLock(const Stmt *S) {
  if (!S)
    return false;
  if (isSpinLock(S) || isSpinUnlock(S))
    return true;
  for (const Stmt *C : S->children())
    if (hasSpinLock(C))
      return true;
  return false;
}

bool Shape::fromOneMacro(const Stmt *S) const {
  SourceLocation B = S->getBeginLoc(), E = S->getEndLoc();
  return B.isMacroID() && E.isMacroID() &&
         SM.getExpansionLoc(B) == SM.getExpansionRange(E).getBegin();
}

bool Shape::isDoWhileZero(const DoStmt *D) const {
  const Expr *C = D->getCond();
  if (C->isValueDependent())
    return false;
  std::optional<llvm::APSInt> V = C->getIntegerConstantExpr(Ctx);
  return V && V->isZero();
}

std::vector<Run> Shape::runs(const Sequence &Seq, unsigned B,
                             unsigned E) const {
  std::vector<Run> Out;
  bool Flow = false;
  for (unsigned I = B; I < E; ++I)
    Flow |= Seq[I].K == Item::Control || Seq[I].K == Item::Label;
  if (!Flow)
    return Out;
  for (unsigned I = B; I < E;) {
    if (Seq[I].K != Item::Simple || isEmpty(Seq[I].S)) {
      ++I;
      continue;
    }
    unsigned Last = I;
    for (unsigned J = I; J < E && Seq[J].K == Item::Simple; ++J)
      if (!isEmpty(Seq[J].S))
        Last = J;
    Out.push_back({I, Last});
    I = Last + 1;
  }
  return Out;
}

std::vector<Group> Shape::groups(const Sequence &Seq) const {
  std::vector<Group> Out;
  auto HasCode = [&](const Group &G) {
    for (unsigned I = G.Begin; I < G.End; ++I)
      if (!isEmpty(Seq[I].S) && Seq[I].K != Item::Inert)
        return true;
    return false;
  };
  for (unsigned I = 0; I < Seq.size(); ++I) {
    if (Seq[I].K == Item::Label) {
      if (Out.empty() || HasCode(Out.back()))
        Out.push_back({{}, I + 1, I + 1});
      Out.back().Labels.push_back(I);
      Out.back().Begin = Out.back().End = I + 1;
    } else if (!Out.empty()) {
      Out.back().End = I + 1;
    }
  }
  return Out;
}

} // namespace inxpect
