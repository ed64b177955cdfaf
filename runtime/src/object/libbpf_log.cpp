#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <vector>

#include "libinxpect/escape.h"
#include "libinxpect/log.h"

namespace inxpect {
namespace {

std::atomic<LogLevel> g_level{LogLevel::Quiet};
thread_local std::string* g_capture = nullptr;  // the innermost capture's text
thread_local LibbpfCapture* g_innermost = nullptr;

int route(enum libbpf_print_level level, const char* fmt, va_list args) {
  va_list again;
  va_copy(again, args);
  int n = vsnprintf(nullptr, 0, fmt, args);  // the verifier log comes as one long string
  std::string text;
  if (n > 0) {
    text.assign(static_cast<size_t>(n) + 1, '\0');
    vsnprintf(text.data(), text.size(), fmt, again);
    text.pop_back();
  }
  va_end(again);
  LogLevel shown = g_level.load();
  bool print = level == LIBBPF_WARN   ? shown >= LogLevel::Verbose || !g_capture
               : level == LIBBPF_INFO ? shown >= LogLevel::Verbose
                                      : shown >= LogLevel::Debug;
  if (g_capture && level != LIBBPF_DEBUG) *g_capture += text;
  // Names from the object reach the terminal: escaped.
  if (print) std::fputs(escape_controls(text).c_str(), stderr);
  return n;
}

void install_router() {
  static std::once_flag once;
  std::call_once(once, [] { libbpf_set_print(route); });
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

// libbpf frames the verifier log with these markers.
constexpr char kBegin[] = "-- BEGIN PROG LOAD LOG --", kEnd[] = "-- END PROG LOAD LOG --";

}  // namespace

void set_log_level(LogLevel level) {
  g_level = level;
  install_router();
}

LogLevel log_level() { return g_level.load(); }

LibbpfCapture::LibbpfCapture() : outer_(g_innermost) {
  install_router();
  g_innermost = this;
  g_capture = &text_;
}

LibbpfCapture::~LibbpfCapture() {
  g_innermost = outer_;
  g_capture = outer_ ? &outer_->text_ : nullptr;
}

bool LibbpfCapture::has_verifier_log() const { return text_.find(kBegin) != std::string::npos; }

std::string LibbpfCapture::tail(unsigned n) const {
  std::string text = text_;
  size_t b = text.rfind(kBegin);
  if (b != std::string::npos) {
    b += sizeof(kBegin) - 1;
    size_t e = text.find(kEnd, b);
    text = text.substr(b, e == std::string::npos ? std::string::npos : e - b);
  }
  std::vector<std::string> lines = lines_of(text);
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); i++)
    out += "  " + lines[i] + "\n";
  return out;
}

}  // namespace inxpect
