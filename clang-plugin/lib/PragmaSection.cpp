// Parses "#pragma inxpect section", "#pragma inxpect section(name)" and
// "#pragma inxpect exclude" (also as _Pragma, which is how
// <inxpect/annotate.h> spells them).
#include "inxpect-plugin/PragmaSection.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Pragma.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang;

namespace {

class InxpectPragmaHandler : public PragmaHandler {
public:
  InxpectPragmaHandler(const char *Name, inxpect::PragmaSite::KindTy Kind,
                       std::shared_ptr<inxpect::PragmaSites> Sites)
      : PragmaHandler(Name), Kind(Kind), Sites(std::move(Sites)) {}

  void HandlePragma(Preprocessor &PP, PragmaIntroducer Introducer,
                    Token &Tok) override {
    SourceManager &SM = PP.getSourceManager();
    inxpect::PragmaSite Site;
    Site.Kind = Kind;
    Site.Loc = SM.getExpansionLoc(Introducer.Loc);

    PP.Lex(Tok);
    if (Kind == inxpect::PragmaSite::Section && Tok.is(tok::l_paren)) {
      PP.Lex(Tok);
      if (!Tok.is(tok::identifier))
        return bad(PP, Tok, "expected a section name (a C identifier)");
      Site.Name = Tok.getIdentifierInfo()->getName().str();
      PP.Lex(Tok);
      if (!Tok.is(tok::r_paren))
        return bad(PP, Tok, "expected ')'");
      PP.Lex(Tok);
    }
    if (!Tok.is(tok::eod))
      return bad(PP, Tok,
                 Kind == inxpect::PragmaSite::Section
                     ? "extra tokens at end of '#pragma inxpect section'"
                     : "extra tokens at end of '#pragma inxpect exclude'");

    // Where the pragma's text ends decides whether a statement follows
    // directly.
    Site.Directive = Introducer.Kind == PIK_HashPragma;
    if (Site.Directive)
      Site.End = Tok.getLocation();
    else
      Site.End = Lexer::getLocForEndOfToken(
          SM.getExpansionRange(Introducer.Loc).getEnd(), 0, SM,
          PP.getLangOpts());
    Sites->push_back(std::move(Site));
  }

private:
  void bad(Preprocessor &PP, Token &Tok, const char *Msg) {
    DiagnosticsEngine &D = PP.getDiagnostics();
    D.Report(Tok.getLocation(),
             D.getCustomDiagID(DiagnosticsEngine::Error, "%0"))
        << Msg;
    // Leave the rest of the directive to the preprocessor.
    while (!Tok.is(tok::eod) && !Tok.is(tok::eof))
      PP.Lex(Tok);
  }

  inxpect::PragmaSite::KindTy Kind;
  std::shared_ptr<inxpect::PragmaSites> Sites;
};

} // namespace

void inxpect::registerSectionPragma(Preprocessor &PP,
                                    std::shared_ptr<PragmaSites> Sites) {
  PP.AddPragmaHandler("inxpect", new InxpectPragmaHandler(
                                     "section", PragmaSite::Section, Sites));
  PP.AddPragmaHandler("inxpect", new InxpectPragmaHandler(
                                     "exclude", PragmaSite::Exclude, Sites));
}
