// The man page and the bash completion of `inxpect`, written from the
// command table (main.cpp), so neither repeats an option by hand.  The build
// runs `inxpect --help-man` and `inxpect --help-bash` and installs the
// output (runtime/CMakeLists.txt).
#include <ostream>
#include <string>

#include "libinxpect/events.h"
#include "options.h"

namespace inxpect::cli {
namespace {

// Text for roff: backslashes and hyphens escaped, a leading dot or quote
// kept from being read as a request.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

void man_option(const OptionSpec& o, std::ostream& out) {
  if (o.arg)
    out << ".TP\n.BI \"" << roff(o.name) << " \" " << roff(o.arg) << "\n";
  else
    out << ".TP\n.B " << roff(o.name) << "\n";
  out << roff(o.help) << ".\n";
}

// The completion words of an option's argument, as a bash expression.
std::string arg_words(const OptionSpec& o) {
  std::string arg = o.arg;
  if (o.choices) return std::string("\"") + o.choices + "\"";
  if (arg == "IFACE") return "\"$(ls /sys/class/net 2>/dev/null)\"";
  if (arg == "LIST") {
    std::string events = known_event_names(), words;
    for (char c : events)
      if (c != ',') words += c;
    return "\"" + words.substr(0, words.find(" rHEX")) + "\"";
  }
  return "";
}

}  // namespace

void write_man(const Command* first, const Command* last, std::ostream& out) {
  out << ".TH INXPECT 1 \"\" \"inxpect " INXPECT_VERSION "\" \"User Commands\"\n"
      << ".SH NAME\ninxpect \\- profile named sections inside XDP programs\n"
      << ".SH SYNOPSIS\n";
  for (const Command* c = first; c != last; ++c)
    out << ".B inxpect " << roff(c->name) << "\n.I " << roff(c->usage)
        << "\n.RI [ options ]\n.br\n";
  out << ".SH DESCRIPTION\n"
      << "InXpect measures named sections inside an XDP program: the program reads the\n"
         "counters itself at the start and end of each section and adds the difference\n"
         "to per-CPU accumulators.  Sections come from the macros of\n"
         ".I <inxpect/inxpect.h>\n"
         "or from\n.BR inxpect\\-cc (1),\n"
         "which inserts them at the granularity asked for.\n"
         ".B inxpect\n"
         "loads such an object, runs it over generated or captured packets or attaches\n"
         "it to an interface, subtracts its own measured cost (calibration) and reports\n"
         "each section as a table, JSON or CSV.\n"
      << ".SH COMMANDS\n";
  for (const Command* c = first; c != last; ++c) {
    out << ".SS \"" << roff(c->name) << " " << roff(c->usage) << "\"\n" << roff(c->summary) << "\n";
    for (const OptionSpec& o : c->options) man_option(o, out);
  }
  out << ".SH PACKETS\n"
      << ".B \\-\\-gen\n"
         "takes a protocol, udp4, tcp4, udp6 or tcp6, then key=value pairs: count (1000),\n"
         "size (frame bytes, 64), src and dst (an address or CIDR, drawn uniformly),\n"
         "sport and dport (a port or lo\\-hi), ttl, seed.  Specs are joined with ';'.\n"
         "The same spec always gives the same packets.\n"
         ".B \\-\\-map\n"
         "files hold one entry a line, KEY VALUE in hex, bytes in memory order.\n"
      << ".SH EVENTS\n.B \\-\\-events\ntakes up to 4 of: " << roff(known_event_names())
      << ".\n.SH BACKENDS\n"
      << ".TP\n.B kmod\nthe kfuncs of the inxpect kernel module (package inxpect\\-dkms) "
         "read the TSC or hardware counters;\n"
      << ".TP\n.B perf\nbpf_perf_event_read_value on per\\-CPU perf events, where the "
         "kernel lets XDP call it;\n"
      << ".TP\n.B ktime\nbpf_ktime_get_ns, everywhere.\n"
      << ".PP\n.B auto\ntakes the first available, in that order.\n"
      << ".SH EXIT STATUS\n";
  for (const ExitStatus& s : kExitStatuses)
    out << ".TP\n.B " << s.code << "\n" << roff(s.meaning) << "\n";
  out << ".SH FILES\n.TP\n.I /lib/modules/$(uname \\-r)/updates/dkms/inxpect.ko\n"
      << "the counter module, built by DKMS for each installed kernel (package inxpect\\-dkms); "
         "compressed (.ko.xz) where the kernel's modules are; loaded only by\n"
         ".B \\-\\-backend kmod\n"
         "or\n"
         ".BR \"inxpect kmod load\" ,\n"
         "and only when root owns it and every directory above it.\n"
      << ".TP\n.I /dev/inxpect\nthe module's control device.\n"
      << ".SH SEE ALSO\n.BR inxpect\\-cc (1),\n.BR bpftool (8),\n.BR dkms (8)\n";
}

void write_bash_completion(const Command* first, const Command* last, std::ostream& out) {
  out << "# bash completion for inxpect, generated from its command table by\n"
         "# 'inxpect --help-bash'.\n"
         "_inxpect() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
         "  local opts= words=\n"
         "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
         "    COMPREPLY=($(compgen -W \"";
  for (const Command* c = first; c != last; ++c) out << c->name << " ";
  out << "--help --version\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  case ${COMP_WORDS[1]} in\n";
  for (const Command* c = first; c != last; ++c) {
    out << "  " << c->name << ")\n    opts=\"";
    for (const OptionSpec& o : c->options) out << o.name << " ";
    out << "\"\n";
    // Positional choices, as in "[bpf|perf-helper|pmu|kmod]".
    std::string usage = c->usage;
    if (usage.size() > 2 && usage[0] == '[' && usage.find('|') != std::string::npos) {
      std::string w = usage.substr(1, usage.size() - 2);
      for (char& ch : w)
        if (ch == '|') ch = ' ';
      out << "    words=\"" << w << "\"\n";
    }
    out << "    case $prev in\n";
    for (const OptionSpec& o : c->options) {
      if (!o.arg) continue;
      std::string words = arg_words(o);
      out << "    " << o.name << ") ";
      if (!words.empty())
        out << "COMPREPLY=($(compgen -W " << words << " -- \"$cur\")); return ;;\n";
      else if (std::string(o.arg).find("FILE") != std::string::npos)
        out << "COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
      else
        out << "return ;;\n";
    }
    out << "    esac ;;\n";
  }
  out << "  *) return ;;\n"
         "  esac\n"
         "  if [[ $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
         "  elif [ -n \"$words\" ]; then\n"
         "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -o filenames -F _inxpect inxpect\n";
}

}  // namespace inxpect::cli
