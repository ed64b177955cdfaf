// The instrumenter's class, shared by its three source files:
//   Instrumenter.cpp  translation unit, functions, names, pragmas, output
//   Walk.cpp          the statement walk: arms, loop bodies, case groups, runs
//   Emit.cpp          the inserted text (the one place that spells it)
#ifndef INXPECT_PLUGIN_REWRITE_H
#define INXPECT_PLUGIN_REWRITE_H

#include "Hazards.h"
#include "Names.h"
#include "Shape.h"
#include "inxpect-plugin/Options.h"
#include "inxpect-plugin/PragmaSection.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clang {
class CompilerInstance;
class FunctionDecl;
} // namespace clang

namespace inxpect {

// Where a statement's text lies in the main file: [B, E), E after its ';'.
// Not Ok when a macro expansion holds part of it (Macro names it).
struct Text {
  clang::SourceLocation B, E;
  bool Ok = false;
  std::string Macro;
  clang::SourceLocation Where; // for a diagnostic
};

class Instrumenter : public clang::ASTConsumer {
public:
  Instrumenter(clang::CompilerInstance &CI, const Options &Opts,
               std::shared_ptr<PragmaSites> Pragmas);
  void HandleTranslationUnit(clang::ASTContext &Ctx) override;

private:
  // ---- Instrumenter.cpp
  void reserveNames(clang::ASTContext &Ctx);
  void function(clang::FunctionDecl *FD);
  bool annotation(const clang::FunctionDecl *FD, std::string &Name,
                  bool &NoSections);
  bool skipFunction(clang::FunctionDecl *FD, bool Wanted);
  void removeAnnotations(clang::ASTContext &Ctx);
  std::string autoName(clang::SourceLocation L);
  bool sameFile(const std::string &Name, clang::SourceLocation L);
  PragmaSite *pragmaBefore(clang::SourceLocation L, PragmaSite::KindTy K);
  PragmaSite *sectionPragma(const clang::CompoundStmt *C);
  std::vector<PragmaSite *> pragmasIn(Span S, PragmaSite::KindTy K);
  bool excluded(const clang::Stmt *S);
  void excludedBody(clang::SourceLocation B, clang::SourceLocation E,
                    const char *Why);
  Text text(const clang::Stmt *S) const;
  Text afterColon(const clang::Stmt *Label) const;
  std::string macroName(clang::SourceLocation L) const;
  void write();

  // ---- Walk.cpp
  void walk(clang::Stmt *S);
  void arm(clang::Stmt *A);
  void sequence(const Sequence &Q, unsigned B, unsigned E);
  void switchBody(clang::SwitchStmt *SW);
  void group(const Sequence &Q, const Group &G);
  bool run(const Sequence &Q, const Run &R);
  bool marked(clang::CompoundStmt *C);
  bool macroSkip(const Text &T, const std::string &Name, const char *What);
  bool bbActive() const { return BB && !Suspended; }

  // ---- Emit.cpp
  enum class Kind { Start, End };
  std::string trace(Kind K, const std::string &Name, const std::string &Parent,
                    const std::string &Run = "__inxpect_run");
  std::string prologue(const clang::FunctionDecl *FD,
                       const std::string &Bare) const;
  std::string bareCopy(const clang::FunctionDecl *FD);
  std::string uncopyable(const clang::FunctionDecl *FD) const;
  clang::SourceLocation declStart(const clang::FunctionDecl *FD) const;
  std::string bareHead(const clang::FunctionDecl *FD) const;
  void emitBareCopies();
  static bool isProgram(const clang::FunctionDecl *FD);
  void beginRuns(clang::ASTContext &Ctx);
  std::string cleanup(const std::string &Name, clang::SourceLocation EndAt,
                      bool Armed, std::string &Var);
  bool placeable(Span S, const std::string &Name, clang::SourceLocation At,
                 bool Scoped);
  bool skip(clang::SourceLocation At, const std::string &Name,
            const std::string &Why);
  bool braced(clang::CompoundStmt *C, const std::string &Name, bool Explicit);
  bool wrapped(const Text &T, const std::string &Name);
  void plainStart(clang::SourceLocation At, const std::string &Name);
  void plainEnd(clang::SourceLocation At, const std::string &Name);
  void exitEnd(const Text &T, const std::string &Name);
  void exitGuard(const Text &T, const std::string &Name, bool Returns);
  void placed(const std::string &Name, bool Push);
  void insertOpen(clang::SourceLocation L, const std::string &S);
  void insertClose(clang::SourceLocation L, const std::string &S);

  Options Opts;
  std::shared_ptr<PragmaSites> Pragmas;
  clang::SourceManager &SM;
  const clang::LangOptions &LO;
  clang::DiagnosticsEngine &Diags;
  clang::Rewriter R;
  unsigned WarnSkip, WarnFunction, WarnBare, WarnBareCallee, NoteJump, NoteAsm,
      NoteLock, NoteLockedCall, NoteFirst, BadName, TwoFiles, TwoFilesWarn,
      Unused, UnusedExclude, CantWrite, CfgRemark, CfgMismatch;

  std::unique_ptr<Shape> Sh;
  std::unique_ptr<Hazards> Hz;
  Names Nm;
  llvm::DenseMap<const clang::FunctionDecl *, clang::SourceLocation> Locked;
  // Main-file pragmas per kind, by the offset where each ends.
  std::vector<std::pair<unsigned, PragmaSite *>> ByEnd[2];

  // The function being instrumented.
  const clang::FunctionDecl *Fn = nullptr;
  bool BB = false;                 // basic-block mode for it
  unsigned Suspended = 0;          // inside an expression or a macro's own code
  std::vector<std::string> Stack;  // open sections, innermost last
  unsigned Tried = 0, Skipped = 0; // its basic-block sections
  unsigned InFunction = 0;         // sections placed in it
  unsigned Loops = 0;              // loops around the walk's position
  // A program's own section, opened by INXPECT_RUN_BEGIN_SECTION with the
  // run: braced() leaves its START to the prologue.
  const clang::CompoundStmt *RootBody = nullptr;
  std::string RootArgs; // "name, slot, extra" of that section, once placed
  llvm::DenseSet<const clang::FunctionDecl *> Prologued;
  std::map<std::string, unsigned> Slots; // section name -> its START slot

  llvm::DenseSet<clang::SourceLocation> MacroWarned;
  unsigned NextId = 0, Total = 0;
  std::string Prototypes, Helpers;
  // -fprofile-sections-bare-copy: the functions that get a bare copy.
  std::vector<const clang::FunctionDecl *> Bare;
};

} // namespace inxpect

#endif
