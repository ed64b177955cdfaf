// A small declarative option parser, so every subcommand gets the same
// --help layout and the same errors.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace inxpect::cli {

struct OptionSpec {
  const char* name;  // "--repeat"
  const char* arg;   // "N", or nullptr for a flag
  const char* help;
  bool repeatable = false;
  const char* choices = nullptr;  // "table json csv": the values, for completion
};

class Args;

// One entry of the command table: its name, help and options, and the
// handler that runs it.
struct Command {
  const char* name;
  const char* usage;  // positional part, e.g. "OBJ"
  const char* summary;
  std::vector<OptionSpec> options;
  int (*run)(const Args& args);
};

class Args {
 public:
  // Throws Error (Errc::Usage) on unknown options or missing arguments.
  // "-v" is "--verbose", "-vv" twice.
  Args(const Command& cmd, int argc, char** argv);
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> all(const std::string& name) const;
  unsigned long number(const std::string& name, unsigned long fallback, unsigned long min,
                       unsigned long max) const;
  double seconds(const std::string& name, double fallback) const;
  size_t count(const std::string& name) const { return values_.count(name); }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

void print_help(const Command& cmd, std::ostream& out);

// Exit statuses (sysexits.h): for --help and the man page.
struct ExitStatus {
  int code;
  const char* meaning;
};
inline constexpr ExitStatus kExitStatuses[] = {
    {0, "success"},
    {1, "any other error"},
    {3, "inxpect diff --fail-above: a section regressed above the limit"},
    {64, "usage: an unknown command, option or value"},
    {65, "bad input: not a BPF object, a malformed section table, or the verifier refused"},
    {66, "not found: the object, a program, map, file or interface"},
    {69, "unsupported here: a backend or event this machine or kernel lacks"},
    {71, "system error"},
    {77, "no permission (run as root, or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)"},
};

// The man page and the bash completion script of the command table
// (manpage.cpp): `inxpect --help-man`, `inxpect --help-bash`, which the
// build runs to make the installed files.
void write_man(const Command* first, const Command* last, std::ostream& out);
void write_bash_completion(const Command* first, const Command* last, std::ostream& out);

}  // namespace inxpect::cli
