// Inserts the tracing for every selected section and writes the result.
//
// A section is a compound statement (a function body or a block).  Right
// after its '{' the instrumenter inserts the equivalent of
//
//   START_TRACE_IN(name, parent); int __inxpect_g_N
//       __attribute__((cleanup(__inxpect_end_N), unused)) = 0;
//
// and at the end of the file a helper __inxpect_end_N that does
// END_TRACE(name) under a "#line" naming the section's closing brace.  The
// compiler calls the cleanup on every way out of the scope (falling off
// the end, return -- also from inside a macro --, break, continue, goto
// out), exactly once, after a return value has been computed.  So no exit
// is rewritten and the program's own statements are left untouched.
//
// The one thing C forbids is jumping into the scope of such a variable:
// blocks entered by a goto or by an outer switch's case label are left as
// they are, with a warning.  All insertions stay on the line they belong
// to, so the user's lines (and __LINE__ in START sites) do not move.
#include "inxpect-plugin/Instrumenter.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace clang;

namespace {

// Every jump that could enter a block from outside it.
struct Jumps : RecursiveASTVisitor<Jumps> {
  struct Edge {
    const Stmt *From, *To;
    SourceLocation Where; // what to show the user: the goto, or the case
  };
  std::vector<Edge> Edges;
  std::vector<const SwitchStmt *> Switches;

  bool VisitGotoStmt(GotoStmt *G) {
    if (const LabelStmt *L = G->getLabel()->getStmt())
      Edges.push_back({G, L, G->getBeginLoc()});
    return true;
  }
  bool VisitSwitchStmt(SwitchStmt *S) {
    for (const SwitchCase *C = S->getSwitchCaseList(); C;
         C = C->getNextSwitchCase())
      Edges.push_back({S, C, C->getBeginLoc()});
    Switches.push_back(S);
    return true;
  }
};

bool isIdentifier(llvm::StringRef S) {
  if (S.empty() || !(isalpha((unsigned char)S[0]) || S[0] == '_'))
    return false;
  for (char C : S)
    if (!(isalnum((unsigned char)C) || C == '_'))
      return false;
  return true;
}

// Only blanks and comments between two points of one buffer?
bool onlyBlanks(llvm::StringRef T) {
  while (!T.empty()) {
    if (isspace((unsigned char)T[0]))
      T = T.drop_front();
    else if (T.starts_with("//"))
      T = T.drop_until([](char C) { return C == '\n'; });
    else if (T.starts_with("/*")) {
      size_t E = T.find("*/");
      if (E == llvm::StringRef::npos)
        return false;
      T = T.drop_front(E + 2);
    } else
      return false;
  }
  return true;
}

std::string quoted(llvm::StringRef File) {
  std::string Out = "\"";
  for (char C : File) {
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

class Instrumenter : public ASTConsumer {
public:
  Instrumenter(CompilerInstance &CI, const inxpect::Options &Opts,
               std::shared_ptr<inxpect::PragmaSites> Pragmas)
      : Opts(Opts), Pragmas(std::move(Pragmas)), SM(CI.getSourceManager()),
        Diags(CI.getDiagnostics()) {
    // Custom warnings belong to no -W group, so -Werror and -w would not
    // reach them: honour both here.
    auto Warning = Diags.getIgnoreAllWarnings()  ? DiagnosticsEngine::Ignored
                   : Diags.getWarningsAsErrors() ? DiagnosticsEngine::Error
                                                 : DiagnosticsEngine::Warning;
    WarnSkip = Diags.getCustomDiagID(
        Warning, "inxpect: section '%0' not instrumented: %1");
    NoteJump = Diags.getCustomDiagID(DiagnosticsEngine::Note,
                                     "jump into the section is here");
    BadName = Diags.getCustomDiagID(
        DiagnosticsEngine::Error,
        "inxpect: section name '%0' is not a C identifier");
    Unused = Diags.getCustomDiagID(
        Warning, "inxpect: '#pragma inxpect section' ignored: it must directly "
                 "precede a compound statement ('{') inside a function");
    CantWrite = Diags.getCustomDiagID(DiagnosticsEngine::Error,
                                      "inxpect: cannot write '%0': %1");
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Diags.hasErrorOccurred())
      return;
    R.setSourceMgr(SM, Ctx.getLangOpts());
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (auto *FD = dyn_cast<FunctionDecl>(D))
        if (FD->doesThisDeclarationHaveABody())
          instrumentFunction(FD);
    for (const inxpect::PragmaSite &P : *Pragmas) {
      if (!SM.isInMainFile(P.Loc))
        continue;
      if (Opts.Blocks && !P.Used)
        Diags.Report(P.Loc, Unused);
      // Compiled without the plugin, the directive would be unknown.
      if (P.Directive)
        R.InsertTextBefore(P.Loc, "// ");
    }
    if (!Diags.hasErrorOccurred())
      write();
  }

private:
  // "inxpect.section" or "inxpect.section=name" on the function.
  bool annotation(const FunctionDecl *FD, std::string &Name) {
    for (const auto *A : FD->specific_attrs<AnnotateAttr>()) {
      llvm::StringRef S = A->getAnnotation();
      if (S == "inxpect.section") {
        Name = FD->getName().str();
        return true;
      }
      if (S.consume_front("inxpect.section=")) {
        if (!isIdentifier(S)) {
          Diags.Report(A->getLocation(), BadName) << S;
          return false;
        }
        Name = S.str();
        return true;
      }
    }
    return false;
  }

  void instrumentFunction(FunctionDecl *FD) {
    auto *Body = dyn_cast<CompoundStmt>(FD->getBody());
    if (!Body)
      return;
    std::string FnSection;
    bool Annotated = annotation(FD, FnSection);
    bool InScope = Annotated || Opts.ScopeAll;
    Fn = FD;
    BasicBlocks = Opts.BasicBlocks && InScope;
    J = Jumps();
    J.TraverseStmt(Body);

    std::vector<std::string> Stack;
    if (Opts.Functions && InScope) {
      if (FnSection.empty())
        FnSection = FD->getName().str();
      if (place(Body, FnSection, Stack, Annotated))
        Stack.push_back(FnSection);
    } else if (BasicBlocks) {
      std::string Name = autoName(Body->getLBracLoc());
      if (place(Body, Name, Stack, false))
        Stack.push_back(Name);
    }
    for (Stmt *Child : Body->children())
      visit(Child, Stack);
  }

  void visit(Stmt *S, std::vector<std::string> &Stack) {
    if (!S)
      return;
    if (auto *SE = dyn_cast<StmtExpr>(S)) {
      // A statement expression's value is its last statement: leave its
      // own braces alone, but look inside.
      for (Stmt *Child : SE->getSubStmt()->children())
        visit(Child, Stack);
      return;
    }
    bool Pushed = false;
    if (auto *C = dyn_cast<CompoundStmt>(S)) {
      std::string Name;
      bool Explicit = false;
      if (inxpect::PragmaSite *P = pragmaFor(C)) {
        P->Used = true;
        if (Opts.Blocks) {
          Name = P->Name.empty() ? autoName(C->getLBracLoc()) : P->Name;
          Explicit = true;
        }
      }
      if (Name.empty() && BasicBlocks && !isSwitchBody(C))
        Name = autoName(C->getLBracLoc());
      if (!Name.empty() && place(C, Name, Stack, Explicit)) {
        Stack.push_back(Name);
        Pushed = true;
      }
    }
    for (Stmt *Child : S->children())
      visit(Child, Stack);
    if (Pushed)
      Stack.pop_back();
  }

  bool isSwitchBody(const CompoundStmt *C) {
    for (const SwitchStmt *S : J.Switches)
      if (S->getBody() == C)
        return true;
    return false;
  }

  // Inserts the section's tracing, or says why it cannot.  Explicit: the
  // user asked for this one (annotation or pragma), not a scope or mode.
  bool place(CompoundStmt *C, const std::string &Name,
             const std::vector<std::string> &Stack, bool Explicit) {
    SourceLocation L = C->getLBracLoc(), Rb = C->getRBracLoc();
    auto Skip = [&](SourceLocation At, const char *Why) {
      Diags.Report(At, WarnSkip) << Name << Why;
      return false;
    };
    // Braces made by macros (do { } while (0) in every bounds check) and
    // functions of headers are never sections: only asked-for ones warn.
    if (!L.isFileID() || !Rb.isFileID() || !SM.isInMainFile(L) ||
        !SM.isInMainFile(Rb)) {
      if (Explicit)
        return Skip(SM.getExpansionLoc(L),
                    "its braces come from a macro or another file");
      return false;
    }
    for (const std::string &Outer : Stack)
      if (Outer == Name)
        return Skip(L, "it is nested in a section of the same name");
    for (const Jumps::Edge &E : J.Edges)
      if (inside(C, E.To->getBeginLoc()) && !inside(C, E.From->getBeginLoc())) {
        Skip(L, "it can be entered by a jump from outside");
        Diags.Report(SM.getExpansionLoc(E.Where), NoteJump);
        return false;
      }

    unsigned N = NextId++;
    std::string Guard = "__inxpect_g_" + std::to_string(N);
    std::string End = "__inxpect_end_" + std::to_string(N);
    // The site records of START_TRACE_IN/END_TRACE.  By default the
    // measuring code is inxpect.h's one shared subprogram instead of a copy
    // per site: inlined at each of them, a 3000-line program took minutes to
    // compile in basic-block mode and, even at function granularity (its
    // always-inline helpers are inlined many times), overflowed the 16-bit
    // BPF jump range ("Branch target out of insn range").  The records say
    // "call=1" so calibration subtracts the cost of the call.  calls=inline
    // (-fprofile-sections-inline) inlines it as the hand-written macros do:
    // cheaper and more exact, for programs small enough.
    // Only inxpect.h's public macros: START_TRACE[_CALL][_IN],
    // END_TRACE[_CALL].
    std::string Via = Opts.Inline ? "" : "_CALL";
    std::string Start = Stack.empty() ? "START_TRACE" + Via + "(" + Name + ");"
                                      : "START_TRACE" + Via + "_IN(" + Name +
                                            ", " + Stack.back() + ");";
    std::string EndBody = "END_TRACE" + Via + "(" + Name + ");";
    R.InsertTextAfterToken(L, " " + Start + " int " + Guard +
                                  " __attribute__((cleanup(" + End +
                                  "), unused)) = 0;");
    PresumedLoc P = SM.getPresumedLoc(Rb);
    Prototypes += "static __always_inline void " + End + "(int *g);\n";
    Helpers += "#line " + std::to_string(P.getLine()) + " " +
               quoted(P.getFilename()) + "\nstatic __always_inline void " +
               End + "(int *g) { " + EndBody + " }\n";
    return true;
  }

  bool inside(const CompoundStmt *C, SourceLocation Loc) {
    Loc = SM.getExpansionLoc(Loc);
    return !SM.isBeforeInTranslationUnit(Loc, C->getLBracLoc()) &&
           !SM.isBeforeInTranslationUnit(C->getRBracLoc(), Loc);
  }

  // The pragma that ends right before C's '{' (or the macro that makes
  // the '{'), if any.
  inxpect::PragmaSite *pragmaFor(const CompoundStmt *C) {
    auto [FID, Off] = SM.getDecomposedLoc(SM.getExpansionLoc(C->getLBracLoc()));
    for (inxpect::PragmaSite &P : *Pragmas) {
      auto [PFID, POff] = SM.getDecomposedLoc(P.End);
      if (PFID != FID || POff > Off)
        continue;
      if (onlyBlanks(SM.getBufferData(FID).slice(POff, Off)))
        return &P;
    }
    return nullptr;
  }

  // <function>_L<line>, with the column added if that is taken.
  std::string autoName(SourceLocation L) {
    PresumedLoc P = SM.getPresumedLoc(L);
    std::string Name = Fn->getName().str() + "_L" + std::to_string(P.getLine());
    if (!AutoNames.insert(Name).second) {
      Name += "_C" + std::to_string(P.getColumn());
      AutoNames.insert(Name);
    }
    return Name;
  }

  void write() {
    FileID Main = SM.getMainFileID();
    SourceLocation Top = SM.getLocForStartOfFile(Main);
    std::string Head;
    if (NextId)
      Head = std::string(
                 "#include <linux/bpf.h>\n#include <inxpect/inxpect.h>\n") +
             Prototypes;
    Head += "#line 1 " + quoted(SM.getPresumedLoc(Top).getFilename()) + "\n";
    R.InsertTextBefore(Top, Head);
    if (NextId)
      R.InsertTextAfter(SM.getLocForEndOfFile(Main), "\n" + Helpers);

    std::error_code EC;
    std::unique_ptr<llvm::raw_fd_ostream> File;
    llvm::raw_ostream *OS = &llvm::outs();
    if (Opts.OutPath != "-") {
      File = std::make_unique<llvm::raw_fd_ostream>(Opts.OutPath, EC);
      if (EC) {
        Diags.Report(CantWrite) << Opts.OutPath << EC.message();
        return;
      }
      OS = File.get();
    }
    R.getEditBuffer(Main).write(*OS);
    OS->flush();
  }

  inxpect::Options Opts;
  std::shared_ptr<inxpect::PragmaSites> Pragmas;
  SourceManager &SM;
  DiagnosticsEngine &Diags;
  Rewriter R;
  unsigned WarnSkip, NoteJump, BadName, Unused, CantWrite;

  const FunctionDecl *Fn = nullptr; // the function being instrumented
  bool BasicBlocks = false;         // ... and whether all its blocks are
  Jumps J;                          // ... and its jumps
  unsigned NextId = 0;
  std::set<std::string> AutoNames;
  std::string Prototypes, Helpers;
};

} // namespace

std::unique_ptr<ASTConsumer>
inxpect::makeInstrumenter(CompilerInstance &CI, const Options &Opts,
                          std::shared_ptr<PragmaSites> Pragmas) {
  return std::make_unique<Instrumenter>(CI, Opts, std::move(Pragmas));
}
