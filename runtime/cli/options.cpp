#include "options.h"

#include <cstdlib>
#include <ostream>

#include "libinxpect/error.h"

namespace inxpect::cli {

Args::Args(const Command& cmd, int argc, char** argv) {
  for (int i = 0; i < argc; i++) {
    std::string a = argv[i];
    if (a == "-v" || a == "-vv") {
      for (size_t n = 1; n < a.size(); n++) values_.emplace("--verbose", "");
      continue;
    }
    if (a == "-o") a = "--output";
    if (a.size() < 2 || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    std::string value;
    size_t eq = a.find('=');
    bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& o : cmd.options)
      if (a == o.name) spec = &o;
    if (!spec)
      throw Error("unknown option '" + a + "' (see inxpect " + cmd.name + " --help)", Errc::Usage);
    if (spec->arg && !inline_value) {
      if (i + 1 >= argc) throw Error(a + " needs an argument (" + spec->arg + ")", Errc::Usage);
      value = argv[++i];
    } else if (!spec->arg && inline_value) {
      throw Error(a + " takes no argument", Errc::Usage);
    }
    if (!spec->repeatable && values_.count(a)) throw Error(a + " given twice", Errc::Usage);
    values_.emplace(a, value);
  }
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::vector<std::string> Args::all(const std::string& name) const {
  std::vector<std::string> out;
  auto [b, e] = values_.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

unsigned long Args::number(const std::string& name, unsigned long fallback, unsigned long min,
                           unsigned long max) const {
  if (!has(name)) return fallback;
  std::string v = get(name);
  char* end = nullptr;
  unsigned long n = std::strtoul(v.c_str(), &end, 10);
  if (v.empty() || *end || v[0] == '-' || n < min || n > max)
    throw Error(name + " " + v + ": expected a whole number from " + std::to_string(min) + " to " +
                    std::to_string(max),
                Errc::Usage);
  return n;
}

double Args::seconds(const std::string& name, double fallback) const {
  if (!has(name)) return fallback;
  std::string v = get(name);
  char* end = nullptr;
  double s = std::strtod(v.c_str(), &end);
  if (v.empty() || *end || !(s > 0) || s > 1e7)
    throw Error(name + " " + v + ": expected seconds > 0", Errc::Usage);
  return s;
}

void print_help(const Command& cmd, std::ostream& out) {
  out << "usage: inxpect " << cmd.name << " " << cmd.usage << " [options]\n"
      << cmd.summary << "\n\noptions:\n";
  for (const OptionSpec& o : cmd.options) {
    std::string left = std::string("  ") + o.name + (o.arg ? std::string(" ") + o.arg : "");
    if (left.size() < 26)
      left.resize(26, ' ');
    else
      left += "  ";
    out << left << o.help << "\n";
  }
}

}  // namespace inxpect::cli
