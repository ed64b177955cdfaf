// The terminal under `inxpect top`'s keys: keys as they arrive, without
// echo or line editing, on the alternate screen, and everything put back
// however top ends.
#pragma once
#include <termios.h>

#include <string>
#include <vector>

namespace inxpect::cli {

// Holds the terminal of `in` (keys) and `out` (the screen) in cbreak mode
// while it lives: no echo, no line editing, reads that return what is there.
// ISIG stays on, so Ctrl-C is still SIGINT and ends top through the stop
// signals like any live command, and output processing stays on, so "\n"
// still starts a line.  The destructor restores the settings it found,
// which every way out of top passes through: q, a stop signal taken by
// sigtimedwait or a signalfd, an exception.
class KeyTerminal {
 public:
  // Throws Error when `in` is not a terminal.
  KeyTerminal(int in, int out);
  ~KeyTerminal();
  KeyTerminal(const KeyTerminal&) = delete;
  KeyTerminal& operator=(const KeyTerminal&) = delete;

 private:
  int in_, out_;
  termios saved_;
};

// A key as top reads it: a character, or one of these.
enum Key : int {
  kEnter = 1000,
  kEscape,
  kBackspace,
  kUp,
  kDown,
  kLeft,
  kRight,
};

// The keys in what one read returned: arrows as ESC [ A..D (or ESC O A..D),
// an ESC with nothing after it is Escape, CR and LF are Enter, DEL and BS
// are Backspace; sequences top has no use for are skipped.
std::vector<int> decode_keys(const std::string& bytes);

}  // namespace inxpect::cli
