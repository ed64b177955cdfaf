#include "terminal.h"

#include <unistd.h>

#include <cerrno>

#include "libinxpect/error.h"

namespace inxpect::cli {
namespace {

void put(int fd, const std::string& s) {
  // Best effort: a terminal gone away has nothing left to restore.
  for (size_t at = 0; at < s.size();) {
    ssize_t n = write(fd, s.data() + at, s.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    at += static_cast<size_t>(n);
  }
}

}  // namespace

KeyTerminal::KeyTerminal(int in, int out) : in_(in), out_(out) {
  if (tcgetattr(in_, &saved_)) throw errno_error("the terminal", errno);
  termios t = saved_;
  t.c_lflag &= ~(ICANON | ECHO);
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
  if (tcsetattr(in_, TCSANOW, &t)) throw errno_error("the terminal", errno);
  // The alternate screen, so the shell's own screen comes back at exit,
  // and no cursor blinking over the table.
  put(out_, "\x1b[?1049h\x1b[?25l");
}

KeyTerminal::~KeyTerminal() {
  put(out_, "\x1b[?25h\x1b[?1049l");
  tcsetattr(in_, TCSANOW, &saved_);
}

std::vector<int> decode_keys(const std::string& bytes) {
  std::vector<int> keys;
  for (size_t i = 0; i < bytes.size(); i++) {
    unsigned char c = bytes[i];
    if (c == '\r' || c == '\n') {
      keys.push_back(kEnter);
    } else if (c == 0x7f || c == '\b') {
      keys.push_back(kBackspace);
    } else if (c != 0x1b) {
      keys.push_back(c);
    } else if (i + 1 == bytes.size() || (bytes[i + 1] != '[' && bytes[i + 1] != 'O')) {
      keys.push_back(kEscape);
    } else {
      // CSI or SS3: parameters, then one final byte (0x40 to 0x7e).
      size_t j = i + 2;
      while (j < bytes.size() && (bytes[j] < 0x40 || bytes[j] > 0x7e)) j++;
      if (j < bytes.size() && j == i + 2) {
        switch (bytes[j]) {
          case 'A': keys.push_back(kUp); break;
          case 'B': keys.push_back(kDown); break;
          case 'C': keys.push_back(kRight); break;
          case 'D': keys.push_back(kLeft); break;
          default: break;
        }
      }
      i = j;
    }
  }
  return keys;
}

}  // namespace inxpect::cli
