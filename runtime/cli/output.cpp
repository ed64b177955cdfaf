// Where the views read and write, and the formatter --format names.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "commands.h"
#include "libinxpect/error.h"
#include "libinxpect/escape.h"
#ifdef INXPECT_HAVE_PPROF
#include "libinxpect/pprof.h"
#endif

namespace inxpect::cli {

std::unique_ptr<Formatter> output_formatter(const std::string& name, bool single) {
  if (name != "pprof") return make_formatter(name);
  if (!single) throw Error("--format pprof writes one profile: use inxpect run", Errc::Usage);
  if (isatty(STDOUT_FILENO))
    throw Error("--format pprof is gzipped protobuf: redirect it to a file", Errc::Usage);
#ifdef INXPECT_HAVE_PPROF
  return std::make_unique<PprofFormatter>();
#else
  throw Error(
      "this inxpect was built without pprof output (libprotobuf-dev, protobuf-compiler, "
      "golang-github-google-pprof-dev)",
      Errc::Unsupported);
#endif
}

std::string read_input(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read", errno == ENOENT ? Errc::NotFound : Errc::System);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::ostream& raw_stdout() {
  static std::ostream raw(nullptr);
  std::cout.flush();
  auto* escaping = dynamic_cast<EscapingStreambuf*>(std::cout.rdbuf());
  raw.rdbuf(escaping ? escaping->target() : std::cout.rdbuf());
  return raw;
}

std::ostream& report_stdout(const std::string& format) {
  return format == "pprof" ? raw_stdout() : std::cout;
}

void write_output(const std::string& path, const std::string& bytes, bool raw) {
  if (path.empty() || path == "-") {
    std::ostream& out = raw ? raw_stdout() : std::cout;
    out << bytes;
    flush_output(out, "the output");
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out.flush()) throw Error(path + ": cannot write", Errc::System);
}

}  // namespace inxpect::cli
