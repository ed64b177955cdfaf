// What reaches a terminal from an untrusted object (file names, program
// and section names, libbpf's words about them) must not be able to drive
// it: control characters and bytes that are not UTF-8 are shown as \xNN.
#pragma once

#include <cstddef>
#include <streambuf>
#include <string>
#include <string_view>

namespace inxpect {

// Length of the valid UTF-8 sequence at s[i] (1 to 4), or 0 when the bytes
// there are not one (truncated, overlong, a surrogate, beyond U+10FFFF).
size_t utf8_length(std::string_view s, size_t i);

// `s` with every C0 control but newline and tab, DEL, every C1 control
// (U+0080 to U+009F) and every byte that is not part of valid UTF-8
// written as \xNN, byte by byte.  Printable text, valid UTF-8 included, is
// unchanged.
std::string escape_controls(std::string_view s);

// A stream buffer that escapes (escape_controls) what goes through it to
// `to`, a line at a time, so a UTF-8 sequence is never cut: put it under
// std::cout and std::cerr and nothing written to them can carry a control
// sequence.  A write `to` refuses fails the stream (badbit).
class EscapingStreambuf : public std::streambuf {
 public:
  explicit EscapingStreambuf(std::streambuf* to) : to_(to) {}
  std::streambuf* target() const { return to_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  bool emit(size_t n);  // escapes and passes on the first n pending bytes
  std::streambuf* to_;
  std::string pending_;
};

}  // namespace inxpect
