#include "Options.h"

#include <algorithm>
#include <cstring>

namespace {

using inxpect::DriverOption;
using inxpect::Opt;

const DriverOption Options[] = {
    {Opt::Sections, "-fprofile-sections", nullptr, nullptr,
     "instrument every annotated function (as =functions)"},
    {Opt::SectionsEq, "-fprofile-sections=", "LIST",
     "functions blocks basic-blocks",
     "instrument; LIST is a comma-separated list of functions, blocks "
     "(INXPECT_BLOCK) and basic-blocks"},
    {Opt::Scope, "-fprofile-sections-scope=", "SCOPE", "annotated all",
     "annotated (default): functions and basic-blocks apply to annotated "
     "functions; all: to every function"},
    {Opt::Inline, "-fprofile-sections-inline", nullptr, nullptr,
     "accepted for older build files; it changes nothing, since every "
     "section's measuring code is now inlined at the section"},
    {Opt::BareCopy, "-fprofile-sections-bare-copy", nullptr, nullptr,
     "every function with sections also keeps its body as written, which "
     "the runs that sampling does not measure run instead: such a run costs "
     "the sampling decision alone, whatever the sections; the verifier "
     "checks both copies, so a program near its limits may not load"},
    {Opt::Emit, "--emit-instrumented=", "FILE", nullptr,
     "keep the rewritten source in FILE"},
    {Opt::SaveTemps, "-save-temps", nullptr, nullptr,
     "keep the rewritten source as <stem>.inxpect.c too, and pass "
     "-save-temps on to clang"},
    {Opt::SaveTemps, "-save-temps=", "WHERE", "cwd obj",
     "the same, with clang's WHERE"},
    {Opt::Help, "--help", nullptr, nullptr, "print this help"},
    {Opt::Version, "--version", nullptr, nullptr,
     "print inxpect-cc's version, its plugin's path and clang's version"},
};

const char Summary[] =
    "Compiles XDP/BPF C like clang-19 -target bpf.  With -fprofile-sections "
    "it first rewrites each source with the inxpect-rewrite Clang plugin so "
    "that the chosen functions and blocks become InXpect sections, measured "
    "by inxpect(1).";

const char Passthrough[] =
    "Every other option goes to clang-19 unchanged.  inxpect-cc adds -target "
    "bpf unless a target is given, the directories of <inxpect/inxpect.h> and "
    "the system headers, and -g to instrumented compiles (the InXpect maps "
    "need BTF).  The exit status is clang's.";

std::string spelled(const DriverOption &O) {
  return std::string(O.Name) + (O.Value ? O.Value : "");
}

// Text for roff: backslashes and hyphens escaped.
std::string roff(const char *Text) {
  std::string Out;
  for (const char *C = Text; *C; ++C)
    Out += *C == '\\' ? "\\e" : *C == '-' ? "\\-" : std::string(1, *C);
  return Out;
}

// Text folded into lines of at most 79 columns, each but the first
// indented by Indent.
std::string fold(const std::string &Text, size_t Indent, size_t Column) {
  std::string Out;
  size_t At = 0;
  while (At < Text.size()) {
    size_t End = At + (79 - Column);
    if (End >= Text.size()) {
      End = Text.size();
    } else {
      size_t Space = Text.rfind(' ', End);
      End = Space != std::string::npos && Space > At ? Space : End;
    }
    Out += Text.substr(At, End - At);
    At = Text.find_first_not_of(' ', End);
    if (At != std::string::npos)
      Out += "\n" + std::string(Indent, ' ');
    Column = Indent;
  }
  return Out;
}

} // namespace

const DriverOption *inxpect::findOption(const std::string &Arg) {
  for (const DriverOption &O : Options) {
    size_t N = strlen(O.Name);
    if (O.Name[N - 1] == '=' ? Arg.compare(0, N, O.Name) == 0 : Arg == O.Name)
      return &O;
  }
  return nullptr;
}

void inxpect::printHelp(FILE *Out) {
  fprintf(Out, "usage: inxpect-cc [options] file.c...\n\n%s\n\noptions:\n",
          fold(Summary, 0, 0).c_str());
  for (const DriverOption &O : Options) {
    std::string Left = "  " + spelled(O);
    Left.resize(std::max<size_t>(Left.size() + 2, 31), ' ');
    fprintf(Out, "%s%s\n", Left.c_str(), fold(O.Help, 31, Left.size()).c_str());
  }
  fprintf(Out, "\n%s\n", fold(Passthrough, 0, 0).c_str());
}

void inxpect::printMan(FILE *Out) {
  fprintf(Out,
          ".TH INXPECT\\-CC 1 \"\" \"inxpect-cc " INXPECT_VERSION
          "\" \"User Commands\"\n"
          ".SH NAME\ninxpect\\-cc \\- compile XDP programs with InXpect "
          "sections inserted\n"
          ".SH SYNOPSIS\n.B inxpect\\-cc\n.RI [ options ]\n.I file.c\n"
          ".SH DESCRIPTION\n%s\n.PP\n%s\n.SH OPTIONS\n",
          roff(Summary).c_str(), roff(Passthrough).c_str());
  for (const DriverOption &O : Options) {
    if (O.Value)
      fprintf(Out, ".TP\n.BI %s %s\n", roff(O.Name).c_str(),
              roff(O.Value).c_str());
    else
      fprintf(Out, ".TP\n.B %s\n", roff(O.Name).c_str());
    fprintf(Out, "%s.\n", roff(O.Help).c_str());
  }
  fprintf(Out, ".SH EXAMPLES\n.nf\ninxpect\\-cc \\-O2 \\-g "
               "\\-fprofile\\-sections=functions,blocks \\-c app.c \\-o app.o\n"
               "make CC=inxpect\\-cc CFLAGS=\"\\-O2 \\-g "
               "\\-fprofile\\-sections=functions\" app.o\n.fi\n"
               ".SH FILES\n.TP\n.I <prefix>/lib/inxpect/inxpect\\-rewrite.so\n"
               "the plugin, found relative to inxpect\\-cc itself.\n"
               ".TP\n.I <prefix>/include/inxpect/\n"
               "inxpect.h and annotate.h, added to the include path.\n"
               ".SH SEE ALSO\n.BR inxpect (1),\n.BR clang (1)\n");
}

void inxpect::printBashCompletion(FILE *Out) {
  fprintf(Out, "# bash completion for inxpect-cc, generated from its option "
               "table by\n# 'inxpect-cc --help-bash'.  Anything else "
               "completes as a file name.\n"
               "_inxpect_cc() {\n"
               "  local cur=${COMP_WORDS[COMP_CWORD]}\n"
               "  case $cur in\n");
  // Options with choices: complete NAME=VALUE (the last of a comma list).
  for (const DriverOption &O : Options) {
    if (!O.Choices)
      continue;
    fprintf(Out,
            "  %s*)\n"
            "    local v=${cur#%s} head=\n"
            "    case $v in *,*) head=${v%%,*},; v=${v##*,} ;; esac\n"
            "    COMPREPLY=($(compgen -P \"%s$head\" -W \"%s\" -- \"$v\"))\n"
            "    return ;;\n",
            O.Name, O.Name, O.Name, O.Choices);
  }
  fprintf(Out, "  -*)\n    COMPREPLY=($(compgen -W \"");
  for (const DriverOption &O : Options)
    fprintf(Out, "%s ", O.Name);
  fprintf(Out, "\" -- \"$cur\"))\n"
               "    [[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace\n"
               "    return ;;\n"
               "  esac\n"
               "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
               "}\n"
               "complete -o filenames -F _inxpect_cc inxpect-cc\n");
}
