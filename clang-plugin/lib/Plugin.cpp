// Entry point: the "inxpect-rewrite" plugin action.  Arguments (each one
// -plugin-arg-inxpect-rewrite):
//   granularity=functions,blocks,basic-blocks   (any combination)
//   scope=annotated|all
//   calls=inline|out-of-line
//   out=FILE                                    ("-": standard output)
//   bare-copy        (every function with sections keeps an uninstrumented
//                     copy of its body, which the runs that sampling does
//                     not measure go through)
//   check-cfg        (debug: per function, the basic-block sections placed
//                     and the count clang's CFG predicts; an error if they
//                     differ)
#include "inxpect-plugin/Instrumenter.h"
#include "inxpect-plugin/Options.h"
#include "inxpect-plugin/PragmaSection.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

using namespace clang;

namespace {

class RewriteAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    auto Pragmas = std::make_shared<inxpect::PragmaSites>();
    Preprocessor &PP = CI.getPreprocessor();
    inxpect::registerSectionPragma(PP, Pragmas);
    // The main file has not been entered yet: the predefines still apply.
    PP.setPredefines(PP.getPredefines() + "#define " + inxpect::RewriteMacro +
                     " 1\n");
    return inxpect::makeInstrumenter(CI, Opts, Pragmas);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    DiagnosticsEngine &D = CI.getDiagnostics();
    unsigned Bad = D.getCustomDiagID(DiagnosticsEngine::Error,
                                     "inxpect-rewrite: invalid argument '%0'");
    for (llvm::StringRef Arg : Args) {
      auto [Key, Value] = Arg.split('=');
      if (Key == "granularity" && parseGranularity(Value))
        continue;
      if (Key == "scope" && (Value == "all" || Value == "annotated")) {
        Opts.ScopeAll = Value == "all";
        continue;
      }
      if (Key == "calls" && (Value == "inline" || Value == "out-of-line")) {
        Opts.Inline = Value == "inline";
        continue;
      }
      if (Arg == "bare-copy") {
        Opts.BareCopy = true;
        continue;
      }
      if (Arg == "check-cfg") {
        Opts.CheckCfg = true;
        continue;
      }
      if (Key == "out" && !Value.empty()) {
        Opts.OutPath = Value.str();
        continue;
      }
      D.Report(Bad) << Arg;
      return false;
    }
    return true;
  }

private:
  bool parseGranularity(llvm::StringRef Value) {
    llvm::SmallVector<llvm::StringRef, 3> Parts;
    Value.split(Parts, ',');
    for (llvm::StringRef P : Parts) {
      if (P == "functions")
        Opts.Functions = true;
      else if (P == "blocks")
        Opts.Blocks = true;
      else if (P == "basic-blocks")
        Opts.BasicBlocks = true;
      else
        return false;
    }
    return true;
  }

  inxpect::Options Opts;
};

} // namespace

static FrontendPluginRegistry::Add<RewriteAction>
    X("inxpect-rewrite", "insert InXpect START/END tracing around sections");
