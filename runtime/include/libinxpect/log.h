// How much of libbpf's own log reaches stderr.  The runtime turns every
// failure into an Error that quotes the end of the log (the verifier's last
// words), so by default nothing else is printed; --verbose shows libbpf's
// warnings and the verifier's whole log as they come, -vv also libbpf's
// debug output and the verifier's log of programs it accepted.
#pragma once

namespace inxpect {

enum class LogLevel {
  Quiet,    // libbpf warnings printed only where nothing collects them
  Verbose,  // libbpf warnings and information, the full verifier log on failure
  Debug,    // also libbpf debug output, and the verifier log of every load
};

// Process-wide, like libbpf's printer it routes; may be called at any time.
void set_log_level(LogLevel level);
LogLevel log_level();

}  // namespace inxpect
