// inxpect-cc: compile XDP/BPF C with InXpect sections inserted.
//
//   inxpect-cc [-fprofile-sections[=functions,blocks,basic-blocks]]
//              [-fprofile-sections-scope=annotated|all]
//              [-fprofile-sections-inline] [-fprofile-sections-bare-copy]
//              [--emit-instrumented=FILE] [-save-temps] <clang flags> file.c
//   inxpect-cc --help | --version
//
// Without -fprofile-sections this is clang-19 -target bpf with InXpect's
// include paths.  With it, each .c input goes through two clang runs:
//  1. clang -fsyntax-only with the inxpect-rewrite plugin: the user's
//     source is checked exactly as plain clang would (same diagnostics,
//     same columns) and the instrumented source is written;
//  2. clang on the instrumented source with the user's flags, under -w
//     since run 1 already showed the warnings ("#line" keeps locations),
//     and with -g if none was given (the InXpect maps need BTF).
// The exit status is clang's.  The instrumented copy lies in a private
// temporary directory, removed afterwards, also on SIGINT, SIGTERM and
// SIGHUP.
#include "Options.h"
#include "Toolchain.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

// Clang options whose value is the next argument.
const std::set<std::string> TakesValue = {
    "-o",         "-I",      "-D",        "-U",       "-MF",
    "-MT",        "-MQ",     "-include",  "-imacros", "-isystem",
    "-idirafter", "-iquote", "-x",        "-target",  "-Xclang",
    "-mllvm",     "-arch",   "--sysroot", "-isysroot"};

// Dependency-file options: not for run 1, which writes no object.
const std::set<std::string> DepFlags = {"-MD", "-MMD", "-MP", "-MG"};
const std::set<std::string> DepValueFlags = {"-MF", "-MT", "-MQ"};

struct Invocation {
  std::vector<std::string> Flags;  // everything but the inputs
  std::vector<std::string> Inputs; // .c files
  std::string Granularity;         // empty: no instrumentation
  std::string Scope = "annotated";
  bool Inline = false;   // -fprofile-sections-inline
  bool BareCopy = false; // -fprofile-sections-bare-copy
  std::string EmitPath;  // --emit-instrumented=
  bool SaveTemps = false;
  bool HasTarget = false, Compile = false, Assemble = false, DepsOnly = false;
  bool Deps = false;  // -MD or -MMD: clang writes a dependency file
  bool Debug = false; // some -g
  bool Help = false, Version = false;
  std::string Output, DepFile;
};

bool startsWith(const std::string &S, const char *P) {
  return S.rfind(P, 0) == 0;
}

std::string stem(const std::string &Path) {
  std::string Base = Path.substr(Path.rfind('/') + 1);
  return Base.substr(0, Base.rfind('.'));
}

bool parse(int Argc, char **Argv, Invocation &Inv) {
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    // inxpect-cc's own options, named in one table (Options.cpp).
    if (const inxpect::DriverOption *O = inxpect::findOption(A)) {
      std::string Value = A.substr(strlen(O->Name));
      switch (O->Id) {
      case inxpect::Opt::Help:
        Inv.Help = true;
        break;
      case inxpect::Opt::Version:
        Inv.Version = true;
        break;
      case inxpect::Opt::Sections:
        Inv.Granularity = "functions";
        break;
      case inxpect::Opt::SectionsEq:
        Inv.Granularity = Value;
        if (Inv.Granularity.empty()) {
          fprintf(stderr,
                  "inxpect-cc: error: %s: expected functions, blocks "
                  "or basic-blocks\n",
                  A.c_str());
          return false;
        }
        break;
      case inxpect::Opt::Scope:
        Inv.Scope = Value;
        if (Inv.Scope != "all" && Inv.Scope != "annotated") {
          fprintf(stderr,
                  "inxpect-cc: error: %s: expected 'all' or 'annotated'\n",
                  A.c_str());
          return false;
        }
        break;
      case inxpect::Opt::Inline:
        Inv.Inline = true;
        break;
      case inxpect::Opt::BareCopy:
        Inv.BareCopy = true;
        break;
      case inxpect::Opt::Emit:
        Inv.EmitPath = Value;
        break;
      case inxpect::Opt::SaveTemps:
        Inv.SaveTemps = true;
        Inv.Flags.push_back(A);
        break;
      }
      continue;
    }
    if (A.size() > 2 && A.back() != '-' && A[0] != '-' &&
        A.substr(A.size() - 2) == ".c") {
      Inv.Inputs.push_back(A);
    } else {
      Inv.Flags.push_back(A);
      if (A == "-target" || startsWith(A, "--target="))
        Inv.HasTarget = true;
      Inv.Compile |= A == "-c";
      Inv.Assemble |= A == "-S";
      Inv.DepsOnly |= A == "-M" || A == "-MM";
      Inv.Deps |= A == "-MD" || A == "-MMD";
      Inv.Debug |= startsWith(A, "-g") && A != "-g0";
      if (TakesValue.count(A) && I + 1 < Argc) {
        std::string V = Argv[++I];
        Inv.Flags.push_back(V);
        if (A == "-o")
          Inv.Output = V;
        if (A == "-MF")
          Inv.DepFile = V;
      } else if (startsWith(A, "-o") && A.size() > 2) {
        Inv.Output = A.substr(2);
      } else if (startsWith(A, "-MF") && A.size() > 3) {
        Inv.DepFile = A.substr(3);
      }
    }
  }
  return true;
}

// Flags every clang run gets, after the user's so theirs take precedence.
std::vector<std::string> defaults(const inxpect::Toolchain &T,
                                  const Invocation &Inv) {
  std::vector<std::string> F = {"-resource-dir", T.ResourceDir,
                                "-I" + T.BpfInclude, "-idirafter",
                                T.SysInclude};
  if (!Inv.HasTarget)
    F.insert(F.begin(), {"-target", "bpf"});
  return F;
}

// Run 1: check and rewrite In into Out.
int rewrite(const inxpect::Toolchain &T, const Invocation &Inv,
            const std::string &In, const std::string &Out) {
  std::vector<std::string> Cmd = {T.Clang};
  for (size_t I = 0; I < Inv.Flags.size(); ++I) {
    const std::string &A = Inv.Flags[I];
    if (A == "-c" || A == "-S" || A == "-E" || DepFlags.count(A) ||
        startsWith(A, "-save-temps") || (startsWith(A, "-o") && A.size() > 2) ||
        (startsWith(A, "-MF") && A.size() > 3))
      continue;
    if (A == "-o" || DepValueFlags.count(A)) {
      ++I;
      continue;
    }
    Cmd.push_back(A);
    if (TakesValue.count(A) && I + 1 < Inv.Flags.size())
      Cmd.push_back(Inv.Flags[++I]);
  }
  for (const std::string &A : defaults(T, Inv))
    Cmd.push_back(A);
  for (const std::string &A :
       {std::string("-fsyntax-only"), std::string("-Xclang"),
        std::string("-load"), std::string("-Xclang"), T.Plugin,
        std::string("-Xclang"), std::string("-plugin"), std::string("-Xclang"),
        std::string("inxpect-rewrite")})
    Cmd.push_back(A);
  std::vector<std::string> Args = {
      "granularity=" + Inv.Granularity, "scope=" + Inv.Scope,
      std::string("calls=") + (Inv.Inline ? "inline" : "out-of-line"),
      "out=" + Out};
  if (Inv.BareCopy)
    Args.push_back("bare-copy");
  for (const std::string &Arg : Args) {
    Cmd.push_back("-Xclang");
    Cmd.push_back("-plugin-arg-inxpect-rewrite");
    Cmd.push_back("-Xclang");
    Cmd.push_back(Arg);
  }
  Cmd.push_back(In);
  return inxpect::run(Cmd);
}

// The dependency file names the instrumented copy; make it name the source.
void fixDeps(const std::string &Path, const std::string &Tmp,
             const std::string &Src) {
  std::ifstream F(Path);
  if (!F)
    return;
  std::stringstream SS;
  SS << F.rdbuf();
  std::string D = SS.str();
  for (size_t P; (P = D.find(Tmp)) != std::string::npos;)
    D.replace(P, Tmp.size(), Src);
  std::ofstream(Path) << D;
}

// A private directory, so that nothing next to the copy can shadow the
// user's headers (see -iquote below).  Returns the copy's path.
void setTemp(const std::string &File, const std::string &Dir);

std::string tempFor(const std::string &In) {
  const char *Dir = getenv("TMPDIR");
  std::string T = std::string(Dir && *Dir ? Dir : "/tmp") + "/inxpect-XXXXXX";
  if (!mkdtemp(T.data()))
    return "";
  setTemp(T + "/" + stem(In) + ".c", T);
  return T + "/" + stem(In) + ".c";
}

bool copyFile(const std::string &From, const std::string &To) {
  std::ifstream In(From, std::ios::binary);
  std::ofstream Out(To, std::ios::binary);
  Out << In.rdbuf();
  return In && Out.good();
}

std::string dirName(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? "." : Path.substr(0, Slash ? Slash : 1);
}

bool sameFile(const std::string &A, const std::string &B) {
  struct stat SA, SB;
  return stat(A.c_str(), &SA) == 0 && stat(B.c_str(), &SB) == 0 &&
         SA.st_dev == SB.st_dev && SA.st_ino == SB.st_ino;
}

// The temporary copy and its directory, for the signal handler (fixed
// buffers: a handler may not allocate).  Written with the signals blocked.
char TmpFile[4096], TmpDir[4096];
const int Signals[] = {SIGINT, SIGTERM, SIGHUP};

void setTemp(const std::string &File, const std::string &Dir) {
  sigset_t Set, Old;
  sigemptyset(&Set);
  for (int S : Signals)
    sigaddset(&Set, S);
  sigprocmask(SIG_BLOCK, &Set, &Old);
  snprintf(TmpFile, sizeof(TmpFile), "%s", File.c_str());
  snprintf(TmpDir, sizeof(TmpDir), "%s", Dir.c_str());
  sigprocmask(SIG_SETMASK, &Old, nullptr);
}

void removeTemp() {
  if (TmpFile[0])
    unlink(TmpFile);
  if (TmpDir[0])
    rmdir(TmpDir);
}

// Stops clang (which may be writing the copy), removes the copy and its
// directory, and dies of the same signal.
void onSignal(int Sig) {
  if (int Child = inxpect::runningChild()) {
    kill(Child, Sig);
    waitpid(Child, nullptr, 0);
  }
  removeTemp();
  signal(Sig, SIG_DFL);
  raise(Sig);
}

int version(const inxpect::Toolchain &T) {
  printf("inxpect-cc (InXpect) %s\n", INXPECT_VERSION);
  printf("plugin: %s\n", T.Plugin.c_str());
  fflush(stdout);
  return inxpect::run({T.Clang, "--version"});
}

} // namespace

int main(int Argc, char **Argv) {
  // What the build makes the installed man page and completion from.
  if (Argc == 2 && !strcmp(Argv[1], "--help-man")) {
    inxpect::printMan(stdout);
    return 0;
  }
  if (Argc == 2 && !strcmp(Argv[1], "--help-bash")) {
    inxpect::printBashCompletion(stdout);
    return 0;
  }
  Invocation Inv;
  if (!parse(Argc, Argv, Inv))
    return 1;
  if (Inv.Help) {
    inxpect::printHelp(stdout);
    return 0;
  }
  inxpect::Toolchain T;
  std::string Why;
  if (!inxpect::findToolchain(T, Why)) {
    fprintf(stderr, "inxpect-cc: error: %s\n", Why.c_str());
    return 1;
  }
  if (Inv.Version)
    return version(T);
  std::vector<std::string> Cmd = {T.Clang};
  Cmd.insert(Cmd.end(), Inv.Flags.begin(), Inv.Flags.end());
  for (const std::string &A : defaults(T, Inv))
    Cmd.push_back(A);

  // Plain compile, or dependency listing of the user's own files.
  if (Inv.Granularity.empty() || Inv.DepsOnly || Inv.Inputs.empty()) {
    Cmd.insert(Cmd.end(), Inv.Inputs.begin(), Inv.Inputs.end());
    return inxpect::run(Cmd);
  }
  if (Inv.Inputs.size() > 1 &&
      (!Inv.EmitPath.empty() || !Inv.Output.empty() || !Inv.DepFile.empty())) {
    fprintf(stderr, "inxpect-cc: error: --emit-instrumented, -o and -MF take "
                    "one input file\n");
    return 1;
  }

  for (const std::string &In : Inv.Inputs) {
    std::string Keep = !Inv.EmitPath.empty() ? Inv.EmitPath
                       : Inv.SaveTemps       ? stem(In) + ".inxpect.c"
                                             : "";
    if (!Keep.empty() && sameFile(Keep, In)) {
      fprintf(stderr,
              "inxpect-cc: error: %s%s is the input file %s: keeping the "
              "instrumented source there would overwrite it\n",
              Inv.EmitPath.empty() ? "-save-temps copy "
                                   : "--emit-instrumented=",
              Keep.c_str(), In.c_str());
      return 1;
    }
  }
  struct sigaction SA = {};
  SA.sa_handler = onSignal;
  for (int S : Signals)
    sigaction(S, &SA, nullptr);

  // One rewrite and one compile per input, so that each object is named
  // after its source (clang would name it after the instrumented copy).
  for (const std::string &In : Inv.Inputs) {
    // Compiled from a private directory even when kept elsewhere.
    std::string Keep = !Inv.EmitPath.empty() ? Inv.EmitPath
                       : Inv.SaveTemps       ? stem(In) + ".inxpect.c"
                                             : "";
    std::string Rewritten = tempFor(In);
    if (Rewritten.empty()) {
      fprintf(stderr, "inxpect-cc: error: cannot create a temporary file\n");
      return 1;
    }
    int RC = rewrite(T, Inv, In, Rewritten);
    if (!RC && !Keep.empty() && !copyFile(Rewritten, Keep)) {
      fprintf(stderr, "inxpect-cc: error: cannot write %s\n", Keep.c_str());
      RC = 1;
    }
    std::string Output = Inv.Output;
    if (!RC) {
      // #include "x.h" looks first next to the including file: the copy
      // is elsewhere, so the source's directory comes first after it.
      std::vector<std::string> Compile = {T.Clang, "-iquote", dirName(In)};
      Compile.insert(Compile.end(), Cmd.begin() + 1, Cmd.end());
      Compile.push_back(Rewritten);
      if (Output.empty() && (Inv.Compile || Inv.Assemble)) {
        Output = stem(In) + (Inv.Compile ? ".o" : ".s");
        Compile.insert(Compile.end(), {"-o", Output});
      }
      Compile.push_back("-w");
      // The measuring code's maps and functions are described by BTF,
      // which clang emits only with debug information.
      if (!Inv.Debug)
        Compile.push_back("-g");
      RC = inxpect::run(Compile);
    }
    std::string DepFile = Inv.DepFile;
    if (DepFile.empty() && !Output.empty())
      DepFile = Output.substr(0, Output.rfind('.')) + ".d";
    if (!RC && Inv.Deps)
      fixDeps(DepFile, Rewritten, In);
    removeTemp();
    setTemp("", "");
    if (RC)
      return RC;
  }
  return 0;
}
