// The code inserted for sections.  trace() is the one place that spells
// the START and END code (inxpect.h's site record and measuring call);
// everything else here decides where it goes:
//
//  * a section with a scope (function body, braced or wrapped arm, loop
//    body): START right after its '{', then a guard variable whose
//    cleanup helper (__inxpect_end_N, at the end of the file under the
//    closing line's "#line") does END: the compiler runs it on every way
//    out of the scope, exactly once, after a return value is computed;
//  * a section without one (straight-line run, case group): START where it
//    begins and END where it ends; a case group also ends before each
//    statement that leaves it, through a guard armed on entry and disarmed
//    when the statement completes (__inxpect_leave_N), or directly before
//    a bare break/continue/goto.
//
// Insertions never add a newline, so the user's lines do not move.  At one
// position, openings go after earlier insertions and closings before them;
// outer sections are placed before inner ones, so they nest.
#include "Rewrite.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace clang;

namespace inxpect {

namespace {

std::string quoted(llvm::StringRef File) {
  std::string Out = "\"";
  for (char C : File) {
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

} // namespace

// The public macros of inxpect.h that measure (see its "instrumenter's
// macros"): every START site gets the next slot, a number fixed here, so
// the object measures under any loader; END names the same slot.  Run is
// the variable holding the function's view of the run: __inxpect_run, or
// a cleanup helper's copy of it.  Inside a loop, the _LOOP forms leave the
// sampling decision to the function they call: a branch the verifier would
// follow both ways in every iteration multiplies the instructions it
// checks.
std::string Instrumenter::trace(Kind K, const std::string &Name,
                                const std::string &Parent,
                                const std::string &Run) {
  // A section's slot is taken at its first START or END text (the walk
  // may spell the END first).
  unsigned Slot = Slots.emplace(Name, Slots.size()).first->second;
  std::string Loop = Loops ? "_LOOP" : "";
  if (K == Kind::End)
    return "INXPECT_SECTION_END" + Loop + "(" + Name + ", " +
           std::to_string(Slot) + ", " + Run + ");";
  std::string Extra = Parent.empty() ? "" : "\\0parent=" + Parent;
  return "INXPECT_SECTION_START" + Loop + "(" + Name + ", " +
         std::to_string(Slot) + ", \"" + Extra + "\");";
}

// A program (a function with its own ELF section, SEC("xdp")) begins the
// runs: one sampling decision per run, all its sections measured together.
bool Instrumenter::isProgram(const FunctionDecl *FD) {
  return FD->hasAttr<SectionAttr>();
}

// What opens each function that holds sections, before its first one: the
// function's view of the run.  A program begins the run, with its own
// section when it is one; Bare, when not empty, is the call of its bare
// copy, which a run not measured returns.
std::string Instrumenter::prologue(const FunctionDecl *FD,
                                   const std::string &Bare) const {
  if (!isProgram(FD))
    return " INXPECT_RUN_JOIN();";
  std::string Args = RootArgs;
  if (!Bare.empty())
    Args += (Args.empty() ? "" : ", ") + Bare;
  return std::string(" INXPECT_RUN_BEGIN") +
         (RootArgs.empty() ? "" : "_SECTION") + (Bare.empty() ? "" : "_BARE") +
         "(" + Args + ");";
}

// -fprofile-sections-bare-copy: a function's body as written becomes a
// function of its own, BarePrefix + its name, defined at the end of the
// file under its own lines' "#line", in which the calls of functions that
// have such a copy call the copy.  A program's copy is what its runs that
// sampling does not measure return (declared just before the program);
// the other functions' copies are what those copies call, so that such a
// run meets no section at all.

static constexpr const char *BarePrefix = "__inxpect_bare_";

// Why FD's body cannot be copied as written, or "": a preprocessor
// directive (but #pragma, which means the same at the end of the file), a
// static local (a copy would be a second variable), __func__, __COUNTER__
// or a hand-written section (its slot would be taken twice).  The checks
// read the text, so a word in a comment refuses too.
std::string Instrumenter::uncopyable(const FunctionDecl *FD) const {
  CharSourceRange Range =
      CharSourceRange::getTokenRange(FD->getBody()->getSourceRange());
  if (!Range.getBegin().isFileID() || !Range.getEnd().isFileID())
    return "its body comes from a macro";
  llvm::StringRef Text = Lexer::getSourceText(Range, SM, LO);
  auto Ident = [](char C) { return isAsciiIdentifierContinue(C); };
  for (llvm::StringRef Line : llvm::split(Text, '\n')) {
    llvm::StringRef D = Line.ltrim();
    if (D.consume_front("#") && !D.ltrim().starts_with("pragma"))
      return "its body holds a preprocessor directive other than #pragma";
  }
  for (llvm::StringRef Word :
       {"static", "__func__", "__FUNCTION__", "__PRETTY_FUNCTION__",
        "__COUNTER__", "START_TRACE", "END_TRACE"}) {
    for (size_t At = Text.find(Word); At != llvm::StringRef::npos;
         At = Text.find(Word, At + 1)) {
      bool Before = At > 0 && Ident(Text[At - 1]);
      bool After =
          At + Word.size() < Text.size() && Ident(Text[At + Word.size()]);
      if (!Before && !After)
        return "its body names static, __func__, __COUNTER__ or a "
               "hand-written section";
    }
  }
  for (const Attr *A : FD->attrs())
    if (isa<AnnotateAttr>(A) && A->getLocation().isFileID())
      return "an annotation attribute is written out in its declaration "
             "(use <inxpect/annotate.h>)";
  return "";
}

// Where FD's declaration begins: its first attribute, else its specifiers.
SourceLocation Instrumenter::declStart(const FunctionDecl *FD) const {
  SourceLocation At = SM.getExpansionLoc(FD->getBeginLoc());
  for (const Attr *A : FD->attrs())
    if (A->getLocation().isValid() &&
        SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A->getLocation()), At))
      At = SM.getExpansionLoc(A->getLocation());
  return At;
}

// FD's copy is made, or not (with a warning that says why).  For a
// program, the call that returns its copy, else "".
std::string Instrumenter::bareCopy(const FunctionDecl *FD) {
  if (!Opts.BareCopy)
    return "";
  bool Program = isProgram(FD);
  std::string Why = uncopyable(FD);
  SourceLocation At = declStart(FD);
  if (Why.empty() && !SM.isInMainFile(At))
    Why = "its declaration begins in another file";
  if (Why.empty() && Program && FD->getReturnType()->isVoidType())
    Why = "it returns nothing";
  std::string Args; // the call of a program's copy
  for (const ParmVarDecl *P : FD->parameters()) {
    if (Program && Why.empty() && P->getName().empty())
      Why = "a parameter has no name";
    Args += (Args.empty() ? "" : ", ") + P->getName().str();
  }
  if (Why.empty() && !Program &&
      (!FD->getLocation().isFileID() ||
       !SM.isBeforeInTranslationUnit(At, FD->getLocation())))
    Why = "its name comes from a macro";
  if (!Why.empty()) {
    Diags.Report(FD->getLocation(), Program ? WarnBare : WarnBareCallee)
        << FD->getName() << Why;
    return "";
  }
  Bare.push_back(FD);
  if (!Program)
    return "";
  R.InsertText(At, bareHead(FD) + "; ", /*InsertAfter=*/false);
  return BarePrefix + FD->getName().str() + "(" + Args + ")";
}

// A program's copy: always inlined into the program, so that returning it
// costs no call.
std::string Instrumenter::bareHead(const FunctionDecl *FD) const {
  PrintingPolicy Policy(LO);
  std::string Params;
  for (const ParmVarDecl *P : FD->parameters()) {
    std::string D;
    llvm::raw_string_ostream OS(D);
    P->getType().print(OS, Policy, P->getName());
    Params += (Params.empty() ? "" : ", ") + D;
  }
  return "static __inline__ __attribute__((__always_inline__)) " +
         FD->getReturnType().getAsString(Policy) + " " + BarePrefix +
         FD->getName().str() + "(" + (Params.empty() ? "void" : Params) + ")";
}

// The copies, at the end of the file.  Another function's copy keeps its
// declaration as written (inline, noinline, static: the same code
// generation), renamed; all are declared first, since they call each other
// in any order.
void Instrumenter::emitBareCopies() {
  if (Bare.empty())
    return;
  llvm::DenseSet<const Decl *> Copied;
  for (const FunctionDecl *FD : Bare)
    Copied.insert(FD->getCanonicalDecl());
  std::string Decls, Defs;
  for (const FunctionDecl *FD : Bare) {
    // Where the body names a copied function, in file offsets.
    struct Refs : RecursiveASTVisitor<Refs> {
      const llvm::DenseSet<const Decl *> &Copied;
      std::vector<SourceLocation> Found;
      explicit Refs(const llvm::DenseSet<const Decl *> &C) : Copied(C) {}
      bool VisitDeclRefExpr(DeclRefExpr *E) {
        if (Copied.contains(E->getDecl()->getCanonicalDecl()) &&
            E->getLocation().isFileID())
          Found.push_back(E->getLocation());
        return true;
      }
    } V(Copied);
    V.TraverseStmt(FD->getBody());
    SourceLocation B = FD->getBody()->getBeginLoc();
    std::string Text =
        Lexer::getSourceText(
            CharSourceRange::getTokenRange(FD->getBody()->getSourceRange()), SM,
            LO)
            .str();
    unsigned Base = SM.getFileOffset(B);
    std::sort(V.Found.begin(), V.Found.end(),
              [&](SourceLocation X, SourceLocation Y) {
                return SM.getFileOffset(X) > SM.getFileOffset(Y);
              });
    for (SourceLocation L : V.Found)
      Text.insert(SM.getFileOffset(L) - Base, BarePrefix);
    std::string Head;
    PresumedLoc P;
    if (isProgram(FD)) {
      Head = bareHead(FD) + " ";
      P = SM.getPresumedLoc(B);
    } else {
      SourceLocation At = declStart(FD);
      std::string H =
          Lexer::getSourceText(CharSourceRange::getCharRange(At, B), SM, LO)
              .str();
      H.insert(SM.getFileOffset(FD->getLocation()) - SM.getFileOffset(At),
               BarePrefix);
      Head = H;
      P = SM.getPresumedLoc(At);
      Decls += Head + ";\n";
    }
    Defs += "#line " + std::to_string(P.getLine()) + " " +
            quoted(P.getFilename()) + "\n" + Head + Text + "\n";
  }
  Helpers += Decls + Defs;
}

// Every program of the file begins its runs, also one without sections of
// its own: a run that a program without them begins must not inherit the
// previous run's decision.  Opted-out functions are left alone.
void Instrumenter::beginRuns(ASTContext &Ctx) {
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || !isProgram(FD) ||
        Prologued.contains(FD) || excluded(FD->getBody()))
      continue;
    auto *Body = dyn_cast<CompoundStmt>(FD->getBody());
    SourceLocation L = Body ? Body->getLBracLoc() : SourceLocation();
    if (L.isValid() && L.isFileID() && SM.isInMainFile(L))
      R.InsertText(L.getLocWithOffset(1), " INXPECT_RUN_BEGIN();",
                   /*InsertAfter=*/false);
  }
}

// A guard variable's declaration; its helper ends Name.  Armed: the helper
// ends the section only while the variable is not 0 (an exit guard, which
// the code disarms by zeroing it).  The guard is a copy of __inxpect_run,
// which the compiler folds into it.
std::string Instrumenter::cleanup(const std::string &Name, SourceLocation EndAt,
                                  bool Armed, std::string &Var) {
  std::string N = std::to_string(NextId++);
  Var = (Armed ? "__inxpect_x_" : "__inxpect_g_") + N;
  std::string Helper = (Armed ? "__inxpect_leave_" : "__inxpect_end_") + N;
  std::string End = trace(Kind::End, Name, "", "*g");
  PresumedLoc P = SM.getPresumedLoc(EndAt);
  Prototypes += "static __inline__ __attribute__((__always_inline__)) void " +
                Helper + "(__inxpect_run_t *g);\n";
  Helpers +=
      "#line " + std::to_string(P.getLine()) + " " + quoted(P.getFilename()) +
      "\nstatic __inline__ __attribute__((__always_inline__)) void " + Helper +
      "(__inxpect_run_t *g) { " + (Armed ? "if (*g) " + End : End) + " }\n";
  return "INXPECT_GUARD(" + Var + ", " + Helper + ");";
}

bool Instrumenter::skip(SourceLocation At, const std::string &Name,
                        const std::string &Why) {
  Diags.Report(SM.getExpansionLoc(At), WarnSkip) << Name << Why;
  return false;
}

// The checks every section passes.  Scoped: it opens a scope (a cleanup
// variable), which no jump may enter and no asm goto leave.
bool Instrumenter::placeable(Span S, const std::string &Name, SourceLocation At,
                             bool Scoped) {
  for (const std::string &Outer : Stack)
    if (Outer == Name)
      return skip(At, Name, "it is nested in a section of the same name");
  SourceLocation J;
  if (Hz->entered(S, J)) {
    skip(At, Name, "it can be entered by a jump from outside");
    Diags.Report(SM.getExpansionLoc(J), NoteJump);
    return false;
  }
  if (Scoped && Hz->asmGotoOut(S, J)) {
    skip(At, Name, "an asm goto in it can jump out of it");
    Diags.Report(SM.getExpansionLoc(J), NoteAsm);
    return false;
  }
  if (Hz->locked(S, J)) {
    skip(At, Name, "its START or END would run with a bpf_spin_lock held");
    Diags.Report(SM.getExpansionLoc(J), NoteLock);
    return false;
  }
  return true;
}

void Instrumenter::insertOpen(SourceLocation L, const std::string &S) {
  R.InsertText(L, S, /*InsertAfter=*/true);
}

void Instrumenter::insertClose(SourceLocation L, const std::string &S) {
  R.InsertText(L, S, /*InsertAfter=*/false);
}

void Instrumenter::placed(const std::string &Name, bool Push) {
  ++Total;
  ++InFunction;
  if (Push)
    Stack.push_back(Name);
}

// A section over an existing compound statement.  Explicit: the user asked
// for this one (annotation or pragma), so braces a macro made are worth a
// warning; otherwise they are silently not a section.
bool Instrumenter::braced(CompoundStmt *C, const std::string &Name,
                          bool Explicit) {
  SourceLocation L = C->getLBracLoc(), Rb = C->getRBracLoc();
  if (!L.isFileID() || !Rb.isFileID() || !SM.isInMainFile(L) ||
      !SM.isInMainFile(Rb)) {
    if (Explicit)
      skip(L, Name, "its braces come from a macro or another file");
    return false;
  }
  if (!placeable(Sh->span(C), Name, L, /*Scoped=*/true))
    return false;
  std::string Var,
      Start = trace(Kind::Start, Name, Stack.empty() ? "" : Stack.back());
  if (C == RootBody) {
    // INXPECT_SECTION_START(name, slot, extra); -> the run's begin.
    RootArgs = Start.substr(Start.find('(') + 1,
                            Start.rfind(')') - Start.find('(') - 1);
    Start.clear();
  }
  R.InsertTextAfterToken(L, (Start.empty() ? "" : " " + Start) + " " +
                                cleanup(Name, Rb, false, Var));
  placed(Name, true);
  return true;
}

// A section over a statement without braces: the plugin adds them, on the
// statement's own lines, around its whole text (its else, its ';', whole
// macro expansions), so dangling else and macros keep their meaning.
bool Instrumenter::wrapped(const Text &T, const std::string &Name) {
  Span S{SM.getFileOffset(T.B), SM.getFileOffset(T.E)};
  if (!placeable(S, Name, T.B, /*Scoped=*/true))
    return false;
  // START first: it gives the section its slot, which the cleanup's END
  // names (the operands of + are evaluated in no set order).
  std::string Var,
      Start = trace(Kind::Start, Name, Stack.empty() ? "" : Stack.back());
  insertOpen(T.B, "{ " + Start + " " +
                      cleanup(Name, T.E.getLocWithOffset(-1), false, Var) +
                      " ");
  insertClose(T.E, " }");
  placed(Name, true);
  return true;
}

void Instrumenter::plainStart(SourceLocation At, const std::string &Name) {
  insertOpen(At,
             trace(Kind::Start, Name, Stack.empty() ? "" : Stack.back()) + " ");
}

void Instrumenter::plainEnd(SourceLocation At, const std::string &Name) {
  insertClose(At, " " + trace(Kind::End, Name, ""));
}

// "break;" -> "{ END break; }" (also continue, goto).
void Instrumenter::exitEnd(const Text &T, const std::string &Name) {
  insertOpen(T.B, "{ " + trace(Kind::End, Name, "") + " ");
  insertClose(T.E, " }");
}

// "S" -> "{ guard x = run (cleanup: END if x); S x = 0; }": END on every
// way out of S but its end, after a return value is computed.
void Instrumenter::exitGuard(const Text &T, const std::string &Name,
                             bool Returns) {
  std::string Var;
  insertOpen(T.B,
             "{ " + cleanup(Name, T.E.getLocWithOffset(-1), true, Var) + " ");
  insertClose(T.E, Returns ? " }" : " " + Var + " = 0; }");
}

} // namespace inxpect
