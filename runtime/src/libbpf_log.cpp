#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <sstream>
#include <vector>

namespace inxpect {
namespace {

std::string g_text;

int collect(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char buf[4096];
  int n = vsnprintf(buf, sizeof(buf), fmt, args);
  g_text += buf;
  return n;
}

int silent(enum libbpf_print_level, const char*, va_list) { return 0; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

}  // namespace

LibbpfLog::LibbpfLog() {
  g_text.clear();
  libbpf_set_print(collect);
}

LibbpfLog::~LibbpfLog() { quiet_libbpf(); }

void quiet_libbpf() { libbpf_set_print(silent); }

std::string LibbpfLog::tail(unsigned n) const {
  // libbpf frames the verifier log with these markers.
  std::string text = g_text;
  size_t b = text.rfind("-- BEGIN PROG LOAD LOG --");
  if (b != std::string::npos) {
    size_t e = text.find("-- END PROG LOAD LOG --", b);
    text = text.substr(b + 25, e == std::string::npos ? std::string::npos : e - b - 25);
  }
  std::vector<std::string> lines = lines_of(text);
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); i++)
    out += "  " + lines[i] + "\n";
  return out;
}

}  // namespace inxpect
