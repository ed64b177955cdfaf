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

}  // namespace inxpect::cli
