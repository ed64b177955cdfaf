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

#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"

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

// The site records of START_TRACE_IN/END_TRACE and the measuring code.  By
// default the measuring code is inxpect.h's one shared subprogram instead
// of a copy per site: inlined at each of them, a 3000-line program took
// minutes to compile in basic-block mode and, even at function granularity
// (its always-inline helpers are inlined many times), overflowed the 16-bit
// BPF jump range ("Branch target out of insn range").  The records say
// "call=1" so calibration subtracts the cost of the call.  calls=inline
// (-fprofile-sections-inline) inlines it as the hand-written macros do:
// cheaper and more exact, for programs small enough.
std::string Instrumenter::trace(Kind K, const std::string &Name,
                                const std::string &Parent) const {
  bool Call = !Opts.Inline;
  std::string Via = Call ? "_call" : "";
  if (K == Kind::End)
    return "{ __INXPECT_SITE(\"end\", " + Name + ", \"\"); __inxpect_end" +
           Via + "(__inxpect_id_" + Name + "); }";
  std::string Extra = (Parent.empty() ? "" : "\\0parent=" + Parent) +
                      (Call ? "\\0call=1" : "");
  return "{ __INXPECT_SITE(\"start\", " + Name + ", \"" + Extra +
         "\"); __inxpect_start" + Via + "(__inxpect_id_" + Name + "); }";
}

// Code that opens each instrumented function, before its first section
// (inserted right after the body's '{').  None yet.
std::string Instrumenter::prologue(const FunctionDecl *) const { return ""; }

// A guard variable's declaration; its helper ends Name.  Armed: the
// helper ends the section only if the variable is still 1 (an exit guard).
std::string Instrumenter::cleanup(const std::string &Name, SourceLocation EndAt,
                                  bool Armed, std::string &Var) {
  std::string N = std::to_string(NextId++);
  Var = (Armed ? "__inxpect_x_" : "__inxpect_g_") + N;
  std::string Helper = (Armed ? "__inxpect_leave_" : "__inxpect_end_") + N;
  std::string End = trace(Kind::End, Name, "");
  PresumedLoc P = SM.getPresumedLoc(EndAt);
  Prototypes += "static __always_inline void " + Helper + "(int *g);\n";
  Helpers += "#line " + std::to_string(P.getLine()) + " " +
             quoted(P.getFilename()) + "\nstatic __always_inline void " +
             Helper + "(int *g) " + (Armed ? "{ if (*g) " + End + " }" : End) +
             "\n";
  return "int " + Var + " __attribute__((cleanup(" + Helper +
         "), unused)) = " + (Armed ? "1;" : "0;");
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
  std::string Var;
  R.InsertTextAfterToken(L, " " + trace(Kind::Start, Name,
                                        Stack.empty() ? "" : Stack.back()) +
                                " " + cleanup(Name, Rb, false, Var));
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
  std::string Var;
  insertOpen(T.B, "{ " + trace(Kind::Start, Name,
                               Stack.empty() ? "" : Stack.back()) +
                      " " + cleanup(Name, T.E.getLocWithOffset(-1), false, Var) +
                      " ");
  insertClose(T.E, " }");
  placed(Name, true);
  return true;
}

void Instrumenter::plainStart(SourceLocation At, const std::string &Name) {
  insertOpen(At, trace(Kind::Start, Name, Stack.empty() ? "" : Stack.back()) +
                     " ");
}

void Instrumenter::plainEnd(SourceLocation At, const std::string &Name) {
  insertClose(At, " " + trace(Kind::End, Name, ""));
}

// "break;" -> "{ END break; }" (also continue, goto).
void Instrumenter::exitEnd(const Text &T, const std::string &Name) {
  insertOpen(T.B, "{ " + trace(Kind::End, Name, "") + " ");
  insertClose(T.E, " }");
}

// "S" -> "{ int x = 1 (cleanup: END if x); S x = 0; }": END on every way
// out of S but its end, after a return value is computed.
void Instrumenter::exitGuard(const Text &T, const std::string &Name,
                             bool Returns) {
  std::string Var;
  insertOpen(T.B,
             "{ " + cleanup(Name, T.E.getLocWithOffset(-1), true, Var) + " ");
  insertClose(T.E, Returns ? " }" : " " + Var + " = 0; }");
}

} // namespace inxpect
