// The statement walk.  Explicit blocks (blocks mode) are placed wherever
// they are; in basic-block mode every statement-level basic block of the
// function is a section (see docs/instrumentation.md, "Basic blocks"):
//
//  * each arm of an if/else and each loop body: a scoped section, braces
//    added when the arm has none (an else-if is not an arm: its own arms
//    are);
//  * each case group of a switch, from its labels to the next label: a
//    plain START after the last label's ':', END where it falls through
//    to the next label or off the end, and END on each way out (break,
//    continue, goto, return, also from inside nested statements or
//    macros).  A case label can never be inside a scope the plugin opened;
//  * each straight-line run of statements in a sequence that also has
//    control flow: a plain START before it and END after it.
//
// Control flow that a macro expansion holds whole (a bounds check's
// do { if (...) return ...; } while (0)) is the macro's: one statement of
// the source, not split.  So is control flow inside an expression (?:, &&,
// ||, statement expressions).
#include "Rewrite.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

using namespace clang;

namespace inxpect {

void Instrumenter::walk(Stmt *S) {
  if (!S)
    return;
  if (excluded(S)) {
    excludedBody(S->getBeginLoc(), S->getEndLoc(),
                 "it is in an excluded statement");
    return;
  }
  bool Macro = bbActive() && Sh->fromOneMacro(S);
  Suspended += Macro;
  if (auto *SE = dyn_cast<StmtExpr>(S)) {
    // Its value is its last statement: its own braces are no section, and
    // what lies inside is inside an expression.
    ++Suspended;
    for (Stmt *Child : SE->getSubStmt()->body())
      walk(Child);
    --Suspended;
  } else if (auto *C = dyn_cast<CompoundStmt>(S)) {
    bool Pushed = marked(C);
    if (bbActive()) {
      Sequence Q;
      Sh->sequence(C, Q);
      sequence(Q, 0, Q.size());
    } else {
      for (Stmt *Child : C->body())
        walk(Child);
    }
    if (Pushed)
      Stack.pop_back();
  } else if (auto *If = dyn_cast<IfStmt>(S)) {
    walk(If->getCond());
    arm(If->getThen());
    if (Stmt *Else = If->getElse()) {
      if (isa<IfStmt>(Else))
        walk(Else); // else if: the ladder goes on, its arms are the arms
      else
        arm(Else);
    }
  } else if (auto *F = dyn_cast<ForStmt>(S)) {
    walk(F->getInit());
    ++Loops;
    walk(F->getCond());
    walk(F->getInc());
    arm(F->getBody());
    --Loops;
  } else if (auto *W = dyn_cast<WhileStmt>(S)) {
    ++Loops;
    walk(W->getCond());
    arm(W->getBody());
    --Loops;
  } else if (auto *D = dyn_cast<DoStmt>(S)) {
    // do ... while (0) runs once: no loop, its body is plain statements.
    if (Sh->isDoWhileZero(D)) {
      walk(D->getBody());
    } else {
      ++Loops;
      arm(D->getBody());
      --Loops;
    }
    walk(D->getCond());
  } else if (auto *SW = dyn_cast<SwitchStmt>(S)) {
    walk(SW->getCond());
    if (bbActive())
      switchBody(SW);
    else
      walk(SW->getBody());
  } else {
    for (Stmt *Child : S->children())
      walk(Child);
  }
  Suspended -= Macro;
}

// An arm of an if/else or a loop body.
void Instrumenter::arm(Stmt *A) {
  if (!A)
    return;
  if (!bbActive() || excluded(A)) {
    walk(A);
    return;
  }
  ++Tried;
  bool Pushed;
  auto *C = dyn_cast<CompoundStmt>(A);
  if (C && C->getLBracLoc().isFileID() && C->getRBracLoc().isFileID()) {
    PragmaSite *P = Opts.Blocks ? sectionPragma(C) : nullptr;
    if (P)
      P->Used = true;
    std::string Name =
        P && !P->Name.empty() ? P->Name : autoName(C->getLBracLoc());
    if (P && !P->Name.empty() && !sameFile(Name, C->getLBracLoc()))
      Pushed = false;
    else
      Pushed = braced(C, Name, P != nullptr);
    Skipped += !Pushed;
    Sequence Q;
    Sh->sequence(C, Q);
    sequence(Q, 0, Q.size());
  } else {
    Text T = text(A);
    std::string Name = autoName(A->getBeginLoc());
    Pushed = T.Ok ? wrapped(T, Name) : macroSkip(T, Name, "it comes");
    Skipped += !Pushed;
    if (Sh->fromOneMacro(A)) {
      walk(A);
    } else {
      Sequence Q;
      Sh->sequence(A, Q);
      sequence(Q, 0, Q.size());
    }
  }
  if (Pushed)
    Stack.pop_back();
}

// Entries [B, E) of a sequence: its runs, and what its other statements
// hold.
void Instrumenter::sequence(const Sequence &Q, unsigned B, unsigned E) {
  std::vector<Run> Runs = bbActive() ? Sh->runs(Q, B, E) : std::vector<Run>();
  size_t Next = 0;
  bool Pushed = false;
  for (unsigned I = B; I < E; ++I) {
    if (Next < Runs.size() && Runs[Next].First == I)
      Pushed = run(Q, Runs[Next]);
    if (Q[I].K != Item::Label && Q[I].K != Item::Inert)
      walk(Q[I].S);
    if (Next < Runs.size() && Runs[Next].Last == I) {
      if (Pushed)
        Stack.pop_back();
      Pushed = false;
      ++Next;
    }
  }
}

bool Instrumenter::run(const Sequence &Q, const Run &Rn) {
  ++Tried;
  const Stmt *First = Q[Rn.First].S, *Last = Q[Rn.Last].S;
  std::string Name = autoName(First->getBeginLoc());
  Text A = text(First), Z = text(Last);
  bool Ok = A.Ok && Z.Ok;
  if (!Ok)
    macroSkip(A.Ok ? Z : A, Name, "it comes");
  else
    Ok = placeable({SM.getFileOffset(A.B), SM.getFileOffset(Z.E)}, Name, A.B,
                   /*Scoped=*/false);
  if (!Ok) {
    ++Skipped;
    return false;
  }
  plainStart(A.B, Name);
  plainEnd(Z.E, Name);
  placed(Name, true);
  return true;
}

void Instrumenter::switchBody(SwitchStmt *SW) {
  Stmt *Body = SW->getBody();
  if (!Body || excluded(Body)) {
    walk(Body);
    return;
  }
  bool Pushed = false;
  if (auto *C = dyn_cast<CompoundStmt>(Body))
    Pushed = marked(C); // refused: its labels are jumped to
  Sequence Q;
  Sh->sequence(Body, Q);
  unsigned Next = 0;
  auto Rest = [&](unsigned To) {
    for (; Next < To; ++Next)
      if (Q[Next].K != Item::Label && Q[Next].K != Item::Inert)
        walk(Q[Next].S);
  };
  for (const Group &G : Sh->groups(Q)) {
    Rest(G.Begin);
    group(Q, G);
    Next = G.End;
  }
  Rest(Q.size());
  if (Pushed)
    Stack.pop_back();
}

// One case group: plain START after its last label's ':', END before
// every way out.
void Instrumenter::group(const Sequence &Q, const Group &G) {
  ++Tried;
  const Stmt *Head = Q[G.Labels.back()].S; // where START goes
  std::string Name = autoName(Head->getBeginLoc());
  Text Colon = afterColon(Q[G.Labels.back()].S);
  bool Ok = Colon.Ok;
  if (!Ok)
    macroSkip(Colon, Name, "its label comes");

  // Its statements, and the last one that is code.
  unsigned From = Ok ? SM.getFileOffset(Colon.E) : 0;
  Span Items{From, From};
  int LastCode = -1;
  for (unsigned I = G.Begin; I < G.End; ++I)
    if (Q[I].K != Item::Inert && !Shape::isEmpty(Q[I].S))
      LastCode = I;
  if (G.End > G.Begin)
    Items.E = std::max(From, Sh->span(Q[G.End - 1].S).E);

  // Each way out of the group, planned before anything is inserted.
  struct Exit {
    Text T;
    bool Guard, Returns;
  };
  std::vector<Exit> Exits;
  for (unsigned I = G.Begin; Ok && I < G.End; ++I) {
    const Stmt *S = Q[I].S;
    bool Direct = isa<BreakStmt, ContinueStmt>(S) ||
                  (isa<GotoStmt>(S) && Sh->leaves(S, Items));
    bool Guard =
        isa<ReturnStmt>(S) || (Q[I].K == Item::Control && Sh->leaves(S, Items));
    if (!Direct && !Guard)
      continue;
    Text T = text(S);
    SourceLocation J;
    if (!T.Ok)
      Ok = macroSkip(T, Name, "a way out of it comes");
    else if (Guard && isa<DeclStmt>(S))
      Ok = skip(S->getBeginLoc(), Name,
                "a declaration in it can leave it (statement expression)");
    else if (Guard && (Hz->asmGotoOut(Sh->span(S), J) ||
                       (isa<GCCAsmStmt>(S) && Sh->leaves(S, Items)))) {
      Ok = skip(Head->getBeginLoc(), Name,
                "an asm goto in it can jump out of it");
      Diags.Report(SM.getExpansionLoc(J.isValid() ? J : S->getBeginLoc()),
                   NoteAsm);
    } else if (Guard && Hz->entered(Sh->span(S), J)) {
      Ok = skip(S->getBeginLoc(), Name,
                "a statement in it can be entered by a jump from outside");
      Diags.Report(SM.getExpansionLoc(J), NoteJump);
    } else
      Exits.push_back({T, Guard, isa<ReturnStmt>(S)});
  }
  bool Falls = LastCode < 0 || Q[LastCode].K != Item::Jump;
  Text Fall = LastCode < 0 ? Colon : text(Q[LastCode].S);
  if (Ok && Falls && !Fall.Ok)
    Ok = macroSkip(Fall, Name, "its end comes");
  Ok = Ok && placeable(Items, Name, Head->getBeginLoc(), /*Scoped=*/false);
  if (!Ok) {
    ++Skipped;
    sequence(Q, G.Begin, G.End);
    return;
  }

  // START, then END where it falls through (unless it ends with a jump).
  insertOpen(Colon.E, " ");
  plainStart(Colon.E, Name);
  if (Falls && LastCode < 0)
    insertOpen(Colon.E, trace(Kind::End, Name, "") + " ");
  else if (Falls)
    plainEnd(Fall.E, Name);
  for (const Exit &X : Exits) {
    if (X.Guard)
      exitGuard(X.T, Name, X.Returns);
    else
      exitEnd(X.T, Name);
  }
  placed(Name, true);
  sequence(Q, G.Begin, G.End);
  Stack.pop_back();
}

// A section that a macro expansion cuts: one warning per expansion.
bool Instrumenter::macroSkip(const Text &T, const std::string &Name,
                             const char *What) {
  if (MacroWarned.insert(SM.getExpansionLoc(T.Where)).second)
    skip(T.Where, Name,
         std::string(What) + " from inside the expansion of macro '" + T.Macro +
             "'");
  return false;
}

// A compound statement marked with "#pragma inxpect section" (blocks mode).
bool Instrumenter::marked(CompoundStmt *C) {
  PragmaSite *P = sectionPragma(C);
  if (!P)
    return false;
  P->Used = true;
  if (!Opts.Blocks)
    return false;
  std::string Name = P->Name.empty() ? autoName(C->getLBracLoc()) : P->Name;
  if (!P->Name.empty() && !sameFile(Name, C->getLBracLoc()))
    return false;
  return braced(C, Name, /*Explicit=*/true);
}

} // namespace inxpect
