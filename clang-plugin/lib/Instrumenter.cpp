// Inserts the tracing for every selected section and writes the result:
// the translation unit, per-function policy, names, pragmas and output.
// Walk.cpp decides which statements are sections, Emit.cpp what is
// inserted; docs/instrumentation.md describes the result.
#include "inxpect-plugin/Instrumenter.h"
#include "CfgCheck.h"
#include "Rewrite.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace clang;

namespace inxpect {

namespace {

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

// Does S end with a ';' that is not part of its source range?
bool needsSemi(const Stmt *S) {
  if (auto *If = dyn_cast<IfStmt>(S))
    return needsSemi(If->getElse() ? If->getElse() : If->getThen());
  if (auto *F = dyn_cast<ForStmt>(S))
    return needsSemi(F->getBody());
  if (auto *W = dyn_cast<WhileStmt>(S))
    return needsSemi(W->getBody());
  if (auto *SW = dyn_cast<SwitchStmt>(S))
    return needsSemi(SW->getBody());
  if (auto *L = dyn_cast<LabelStmt>(S))
    return needsSemi(L->getSubStmt());
  if (auto *C = dyn_cast<SwitchCase>(S))
    return needsSemi(C->getSubStmt());
  if (auto *A = dyn_cast<AttributedStmt>(S))
    return needsSemi(A->getSubStmt());
  return !isa<CompoundStmt, DeclStmt, NullStmt>(S);
}

// Hand-written START_TRACE/END_TRACE: each site is a static
// __inxpect_site_<counter> holding its site record, whose name= field
// names the section.
struct HandWritten : RecursiveASTVisitor<HandWritten> {
  std::vector<std::pair<const VarDecl *, llvm::StringRef>> Sites;
  bool VisitVarDecl(VarDecl *V) {
    if (!V->getIdentifier() || !V->getName().starts_with("__inxpect_site_") ||
        !V->getInit())
      return true;
    auto *S = dyn_cast<StringLiteral>(V->getInit()->IgnoreImplicit());
    if (!S || S->getCharByteWidth() != 1)
      return true;
    llvm::StringRef Rec = S->getString();
    while (!Rec.empty()) {
      auto [Field, Rest] = Rec.split('\0');
      if (Field.consume_front("name=")) {
        Sites.emplace_back(V, Field);
        break;
      }
      Rec = Rest;
    }
    return true;
  }
};

} // namespace

Instrumenter::Instrumenter(CompilerInstance &CI, const Options &Opts,
                           std::shared_ptr<PragmaSites> Pragmas)
    : Opts(Opts), Pragmas(std::move(Pragmas)), SM(CI.getSourceManager()),
      LO(CI.getLangOpts()), Diags(CI.getDiagnostics()) {
  // Custom warnings belong to no -W group, so -Werror and -w would not
  // reach them: honour both here.
  auto Warning = Diags.getIgnoreAllWarnings()  ? DiagnosticsEngine::Ignored
                 : Diags.getWarningsAsErrors() ? DiagnosticsEngine::Error
                                               : DiagnosticsEngine::Warning;
  auto Id = [&](DiagnosticsEngine::Level L, const char *Text) {
    return Diags.getDiagnosticIDs()->getCustomDiagID(
        static_cast<DiagnosticIDs::Level>(L), Text);
  };
  WarnSkip = Id(Warning, "inxpect: section '%0' not instrumented: %1");
  WarnFunction = Id(Warning, "inxpect: function '%0' not instrumented: %1");
  WarnBare = Id(Warning, "inxpect: program '%0' keeps no bare copy (runs not "
                         "measured run its instrumented code): %1");
  WarnBareCallee =
      Id(Warning, "inxpect: function '%0' keeps no bare copy (the bare copies "
                  "call its instrumented code): %1");
  NoteJump = Id(DiagnosticsEngine::Note, "jump into the section is here");
  NoteAsm = Id(DiagnosticsEngine::Note, "the asm goto is here");
  NoteLock = Id(DiagnosticsEngine::Note, "the bpf_spin_lock is taken here");
  NoteLockedCall = Id(DiagnosticsEngine::Note,
                      "it is called here, with a bpf_spin_lock held");
  NoteFirst = Id(DiagnosticsEngine::Note, "'%0' is used here");
  BadName = Id(DiagnosticsEngine::Error,
               "inxpect: section name '%0' is not a C identifier "
               "([A-Za-z_][A-Za-z0-9_]*)");
  TwoFiles = Id(DiagnosticsEngine::Error,
                "inxpect: section name '%0' is also used in '%1': sections "
                "of one name are one section; rename one");
  TwoFilesWarn = Id(Warning, "inxpect: section name '%0' is also used in "
                             "'%1': sections of one name are one section");
  Unused = Id(Warning,
              "inxpect: '#pragma inxpect section' ignored: it must directly "
              "precede a compound statement ('{') inside a function");
  UnusedExclude = Id(Warning, "inxpect: '#pragma inxpect exclude' ignored: "
                              "it must directly precede a statement inside "
                              "a function");
  CantWrite = Id(DiagnosticsEngine::Error, "inxpect: cannot write '%0': %1");
  CfgRemark = Id(DiagnosticsEngine::Remark,
                 "inxpect: '%0': %1 basic-block sections placed, %2 skipped; "
                 "clang's CFG: %3 measured statement-level blocks");
  CfgMismatch = Id(DiagnosticsEngine::Error,
                   "inxpect: '%0': basic-block sections differ from clang's "
                   "CFG (%1 against %2)");
}

void Instrumenter::HandleTranslationUnit(ASTContext &Ctx) {
  if (Diags.hasErrorOccurred())
    return;
  R.setSourceMgr(SM, Ctx.getLangOpts());
  FileID Main = SM.getMainFileID();
  for (PragmaSite &P : *Pragmas) {
    auto [FID, Off] = SM.getDecomposedLoc(P.End);
    if (FID == Main)
      ByEnd[P.Kind].push_back({Off, &P});
  }
  for (auto &V : ByEnd)
    std::sort(V.begin(), V.end(),
              [](const auto &A, const auto &B) { return A.first < B.first; });
  Sh = std::make_unique<Shape>(
      SM, Ctx, [this](const Stmt *S) { return excluded(S); },
      [this](const Stmt *S) {
        auto *C = dyn_cast<CompoundStmt>(S);
        return Opts.Blocks && C && sectionPragma(C);
      });
  Hz = std::make_unique<Hazards>(*Sh);
  Locked = lockedCallees(Ctx);
  reserveNames(Ctx);
  if (Diags.hasErrorOccurred())
    return;

  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (auto *FD = dyn_cast<FunctionDecl>(D))
      if (FD->doesThisDeclarationHaveABody())
        function(FD);
  if (Total)
    beginRuns(Ctx);
  for (const PragmaSite &P : *Pragmas) {
    if (!SM.isInMainFile(P.Loc))
      continue;
    if (!P.Used && P.Kind == PragmaSite::Exclude)
      Diags.Report(P.Loc, UnusedExclude);
    else if (!P.Used && Opts.Blocks)
      Diags.Report(P.Loc, Unused);
    // Compiled without the plugin, the directive would be unknown.
    if (P.Directive)
      R.InsertTextBefore(P.Loc, "// ");
  }
  emitBareCopies();
  removeAnnotations(Ctx);
  if (!Diags.hasErrorOccurred())
    write();
}

// Names that exist before any automatic name is made, so that automatic
// names avoid them; and the file of each hand-written section.
void Instrumenter::reserveNames(ASTContext &Ctx) {
  HandWritten H;
  H.TraverseDecl(Ctx.getTranslationUnitDecl());
  for (const auto &[V, Name] : H.Sites) {
    Nm.reserve(Name);
    SourceLocation L = SM.getExpansionLoc(V->getLocation());
    if (const Names::Use *U =
            Nm.use(Name, SM.getPresumedLoc(L).getFilename(), L)) {
      Diags.Report(L, TwoFilesWarn) << Name << U->File;
      Diags.Report(U->Loc, NoteFirst) << Name;
    }
  }
  for (const PragmaSite &P : *Pragmas)
    if (P.Kind == PragmaSite::Section && !P.Name.empty()) {
      if (!isIdentifier(P.Name))
        Diags.Report(P.Loc, BadName) << P.Name;
      Nm.reserve(P.Name);
    }
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        !SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
      continue;
    std::string Name;
    bool No;
    if (annotation(FD, Name, No) || (Opts.Functions && Opts.ScopeAll))
      Nm.reserve(Name.empty() ? FD->getName() : llvm::StringRef(Name));
  }
}

// "inxpect.section", "inxpect.section=name" or "inxpect.no_sections".
bool Instrumenter::annotation(const FunctionDecl *FD, std::string &Name,
                              bool &NoSections) {
  bool Section = false;
  NoSections = false;
  for (const auto *A : FD->specific_attrs<AnnotateAttr>()) {
    llvm::StringRef S = A->getAnnotation();
    if (S == "inxpect.no_sections") {
      NoSections = true;
    } else if (S == "inxpect.section") {
      Section = true;
    } else if (S.consume_front("inxpect.section=")) {
      if (!isIdentifier(S))
        Diags.Report(A->getLocation(), BadName) << S;
      Name = S.str();
      Section = true;
    }
  }
  return Section;
}

// Functions whose code the instrumentation would break, or that run with
// a spin lock held.  Wanted: something was asked for in it (worth a
// warning).
bool Instrumenter::skipFunction(FunctionDecl *FD, bool Wanted) {
  const char *Why = nullptr;
  SourceLocation At = FD->getLocation();
  if (Hz->Naked)
    Why = "it is naked (only asm is allowed in it)";
  else if (Hz->ComputedGoto.isValid()) {
    Why = "it has a computed goto, which cannot leave a section's scope";
    At = Hz->ComputedGoto;
  } else if (auto It = Locked.find(FD->getCanonicalDecl()); It != Locked.end())
    Why = "it is called while a bpf_spin_lock is held";
  if (!Why)
    return false;
  if (Wanted) {
    Diags.Report(SM.getExpansionLoc(At), WarnFunction) << FD->getName() << Why;
    if (auto It = Locked.find(FD->getCanonicalDecl());
        It != Locked.end() && !Hz->Naked && Hz->ComputedGoto.isInvalid())
      Diags.Report(SM.getExpansionLoc(It->second), NoteLockedCall);
  }
  return true;
}

void Instrumenter::function(FunctionDecl *FD) {
  auto *Body = dyn_cast<CompoundStmt>(FD->getBody());
  if (!Body || !SM.isInMainFile(SM.getExpansionLoc(Body->getLBracLoc())))
    return;
  std::string FnSection;
  bool NoSections;
  bool Annotated = annotation(FD, FnSection, NoSections);
  bool InScope = Annotated || Opts.ScopeAll;
  bool WantFn = Opts.Functions && InScope, WantBB = Opts.BasicBlocks && InScope;
  if (NoSections) {
    excludedBody(Body->getBeginLoc(), Body->getEndLoc(),
                 "its function is marked INXPECT_NO_SECTIONS");
    return;
  }
  Hz->scan(FD);
  bool WantBlocks = false;
  if (Opts.Blocks)
    for (PragmaSite *P : pragmasIn(Sh->span(Body), PragmaSite::Section))
      WantBlocks |= !P->Used;
  if (skipFunction(FD, WantFn || WantBB || WantBlocks)) {
    excludedBody(Body->getBeginLoc(), Body->getEndLoc(), nullptr);
    return;
  }
  if (!isIdentifier(FD->getName()) &&
      (WantBB || (WantFn && FnSection.empty()))) {
    if (Annotated && FnSection.empty())
      Diags.Report(FD->getLocation(), BadName) << FD->getName();
    else
      Diags.Report(FD->getLocation(), WarnFunction)
          << FD->getName()
          << "its name is not a C identifier ([A-Za-z_][A-Za-z0-9_]*), so "
             "no section can be named after it";
    WantBB = false;
    WantFn = WantFn && !FnSection.empty();
  }

  Fn = FD;
  BB = WantBB;
  Suspended = 0;
  Stack.clear();
  Tried = Skipped = InFunction = 0;
  RootBody = WantFn && isProgram(FD) ? Body : nullptr;
  RootArgs.clear();
  if (WantFn || WantBB) {
    Tried += BB;
    std::string Name =
        WantFn ? (FnSection.empty() ? FD->getName().str() : FnSection)
               : autoName(Body->getLBracLoc());
    bool Ok = !(WantFn && !sameFile(Name, Body->getLBracLoc())) &&
              braced(Body, Name, Annotated && WantFn);
    Skipped += BB && !Ok;
  }
  if (BB) {
    Sequence Q;
    Sh->sequence(Body, Q);
    sequence(Q, 0, Q.size());
  } else {
    for (Stmt *S : Body->body())
      walk(S);
  }
  if (InFunction) {
    R.InsertText(Body->getLBracLoc().getLocWithOffset(1),
                 prologue(FD, bareCopy(FD)),
                 /*InsertAfter=*/false);
    Prologued.insert(FD);
  }
  RootBody = nullptr;
  if (Opts.CheckCfg && BB) {
    unsigned Expected =
        cfgMeasuredBlocks(FD, FD->getASTContext(), *Sh,
                          [this](const Stmt *S) { return excluded(S); });
    unsigned Placed = Tried - Skipped;
    Diags.Report(FD->getLocation(), CfgRemark)
        << FD->getName() << Placed << Skipped << Expected;
    if (Tried != Expected)
      Diags.Report(FD->getLocation(), CfgMismatch)
          << FD->getName() << Tried << Expected;
  }
  Fn = nullptr;
  BB = false;
}

// <function>_L<line>, then _C<column>, then a counter: never a name in use.
std::string Instrumenter::autoName(SourceLocation L) {
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(L));
  return Nm.automatic(Fn->getName(), P.getLine(), P.getColumn());
}

// A name the user chose: refused when sections of another file have it.
bool Instrumenter::sameFile(const std::string &Name, SourceLocation L) {
  L = SM.getExpansionLoc(L);
  const Names::Use *U = Nm.use(Name, SM.getPresumedLoc(L).getFilename(), L);
  if (!U)
    return true;
  Diags.Report(L, TwoFiles) << Name << U->File;
  Diags.Report(U->Loc, NoteFirst) << Name;
  return false;
}

// The pragma of kind K whose text ends right before L (only blanks and
// comments between).
PragmaSite *Instrumenter::pragmaBefore(SourceLocation L, PragmaSite::KindTy K) {
  const auto &V = ByEnd[K];
  auto [FID, Off] = SM.getDecomposedLoc(SM.getExpansionLoc(L));
  if (V.empty() || FID != SM.getMainFileID())
    return nullptr;
  auto It =
      std::upper_bound(V.begin(), V.end(), Off,
                       [](unsigned O, const auto &P) { return O < P.first; });
  if (It == V.begin())
    return nullptr;
  --It;
  if (!onlyBlanks(SM.getBufferData(FID).slice(It->first, Off)))
    return nullptr;
  return It->second;
}

// The pragmas of kind K that lie in S.
std::vector<PragmaSite *> Instrumenter::pragmasIn(Span S,
                                                  PragmaSite::KindTy K) {
  const auto &V = ByEnd[K];
  std::vector<PragmaSite *> Out;
  auto It =
      std::lower_bound(V.begin(), V.end(), S.B,
                       [](const auto &P, unsigned O) { return P.first < O; });
  for (; It != V.end() && SM.getFileOffset(It->second->Loc) <= S.E; ++It)
    Out.push_back(It->second);
  return Out;
}

PragmaSite *Instrumenter::sectionPragma(const CompoundStmt *C) {
  return pragmaBefore(C->getLBracLoc(), PragmaSite::Section);
}

bool Instrumenter::excluded(const Stmt *S) {
  PragmaSite *P = pragmaBefore(S->getBeginLoc(), PragmaSite::Exclude);
  if (P)
    P->Used = true;
  return P;
}

// Nothing between B and E is instrumented: the section pragmas there are
// used up (Why: the warning for each, in blocks mode).
void Instrumenter::excludedBody(SourceLocation B, SourceLocation E,
                                const char *Why) {
  Span S{SM.getFileOffset(SM.getExpansionLoc(B)),
         SM.getFileOffset(SM.getExpansionRange(E).getEnd())};
  for (auto K : {PragmaSite::Section, PragmaSite::Exclude})
    for (PragmaSite *P : pragmasIn(S, K)) {
      if (P->Used)
        continue;
      P->Used = true;
      if (Why && K == PragmaSite::Section && Opts.Blocks)
        Diags.Report(P->Loc, WarnSkip)
            << (P->Name.empty() ? std::string("(automatic)") : P->Name) << Why;
    }
}

std::string Instrumenter::macroName(SourceLocation L) const {
  Token T;
  if (!Lexer::getRawToken(SM.getExpansionLoc(L), T, SM, LO) &&
      T.is(tok::raw_identifier))
    return T.getRawIdentifier().str();
  return "?";
}

Text Instrumenter::text(const Stmt *S) const {
  Text T;
  T.Where = S->getBeginLoc();
  CharSourceRange CR = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(S->getSourceRange()), SM, LO);
  if (CR.isInvalid() || !SM.isInMainFile(CR.getBegin()) ||
      !SM.isInMainFile(CR.getEnd())) {
    SourceLocation M =
        S->getBeginLoc().isMacroID() ? S->getBeginLoc() : S->getEndLoc();
    T.Macro = macroName(M);
    T.Where = M;
    return T;
  }
  T.B = CR.getBegin();
  T.E = CR.getEnd();
  // The ';' that ends the statement, unless a macro's expansion holds it.
  Token Tok;
  if (needsSemi(S) && !Lexer::getRawToken(T.E, Tok, SM, LO, true) &&
      Tok.is(tok::semi))
    T.E = Tok.getEndLoc();
  T.Ok = true;
  return T;
}

// The position right after a label's ':'.
Text Instrumenter::afterColon(const Stmt *Label) const {
  Text T;
  T.Where = Label->getBeginLoc();
  SourceLocation Colon;
  if (auto *C = dyn_cast<CaseStmt>(Label))
    Colon = C->getColonLoc();
  else if (auto *D = dyn_cast<DefaultStmt>(Label))
    Colon = D->getColonLoc();
  CharSourceRange CR;
  if (Colon.isValid()) {
    CR = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Label->getBeginLoc(), Colon), SM, LO);
  } else {
    CR = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(cast<LabelStmt>(Label)->getIdentLoc()),
        SM, LO);
    Token Tok;
    if (CR.isValid() && !Lexer::getRawToken(CR.getEnd(), Tok, SM, LO, true) &&
        Tok.is(tok::colon))
      CR.setEnd(Tok.getEndLoc());
    else
      CR = CharSourceRange();
  }
  if (CR.isInvalid() || !SM.isInMainFile(CR.getBegin())) {
    T.Macro = macroName(Label->getBeginLoc());
    return T;
  }
  T.B = T.E = CR.getEnd();
  T.Ok = true;
  return T;
}

// Plain clang, and the compile of the rewritten source, must see no
// annotate attribute (clang would emit an out-of-line copy of each
// annotated function): <inxpect/annotate.h> spells them only for the
// plugin, and attributes spelled out in the file are cut out here,
// leaving "__attribute__(())".
void Instrumenter::removeAnnotations(ASTContext &Ctx) {
  struct Finder : RecursiveASTVisitor<Finder> {
    std::vector<const AnnotateAttr *> Found;
    bool VisitFunctionDecl(FunctionDecl *FD) {
      for (const auto *A : FD->specific_attrs<AnnotateAttr>())
        if (!A->isInherited() && A->getAnnotation().starts_with("inxpect."))
          Found.push_back(A);
      return true;
    }
  } F;
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
  for (const AnnotateAttr *A : F.Found) {
    SourceRange Rg = A->getRange();
    if (Rg.getBegin().isFileID() && Rg.getEnd().isFileID() &&
        SM.isInMainFile(Rg.getBegin()))
      R.RemoveText(CharSourceRange::getTokenRange(Rg));
  }
}

// The object's capacities (inxpect.h), sized for the sections placed: a
// disabled byte per slot, and room for about four call paths per section.
static unsigned pow2AtLeast(unsigned N, unsigned Min) {
  unsigned P = Min;
  while (P < N)
    P *= 2;
  return P;
}

void Instrumenter::write() {
  FileID Main = SM.getMainFileID();
  SourceLocation Top = SM.getLocForStartOfFile(Main);
  std::string Head;
  if (Total) {
    unsigned N = static_cast<unsigned>(Slots.size());
    Head = "#define INXPECT_MAX_SLOTS " +
           std::to_string(pow2AtLeast(N + 64, 1024)) +
           "\n#define INXPECT_NODES " +
           std::to_string(pow2AtLeast(4 * N, 256)) +
           "\n#define __INXPECT_SLOT_BASE " + std::to_string(N) +
           (Opts.BareCopy ? "\n#define INXPECT_BARE_COPY 1" : "") +
           "\n#include <inxpect/inxpect.h>\n" + Prototypes;
  }
  std::string File = SM.getPresumedLoc(Top).getFilename();
  std::string Quoted = "\"";
  for (char C : File)
    Quoted +=
        (C == '"' || C == '\\') ? std::string("\\") + C : std::string(1, C);
  Head += "#line 1 " + Quoted + "\"\n";
  R.InsertTextBefore(Top, Head);
  if (Total)
    R.InsertTextAfter(SM.getLocForEndOfFile(Main), "\n" + Helpers);

  std::error_code EC;
  std::unique_ptr<llvm::raw_fd_ostream> Out;
  llvm::raw_ostream *OS = &llvm::outs();
  if (Opts.OutPath != "-") {
    Out = std::make_unique<llvm::raw_fd_ostream>(Opts.OutPath, EC);
    if (EC) {
      Diags.Report(CantWrite) << Opts.OutPath << EC.message();
      return;
    }
    OS = Out.get();
  }
  R.getEditBuffer(Main).write(*OS);
  OS->flush();
}

} // namespace inxpect

std::unique_ptr<ASTConsumer>
inxpect::makeInstrumenter(CompilerInstance &CI, const Options &Opts,
                          std::shared_ptr<PragmaSites> Pragmas) {
  return std::make_unique<Instrumenter>(CI, Opts, std::move(Pragmas));
}
