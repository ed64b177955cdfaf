// The small pieces everything uses: the fd owner, the JSON writer, error
// codes.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <sstream>

#include "libinxpect/error.h"
#include "libinxpect/escape.h"
#include "libinxpect/fd.h"
#include "libinxpect/json_writer.h"

using namespace inxpect;

namespace {

bool is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

}  // namespace

TEST(Fd, ClosesOnceWhenItsOwnerGoes) {
  int raw;
  {
    Fd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
    raw = fd.get();
    ASSERT_TRUE(fd);
    Fd moved = std::move(fd);
    EXPECT_FALSE(fd);  // NOLINT(bugprone-use-after-move): the moved-from state is tested
    EXPECT_EQ(moved.get(), raw);
    EXPECT_TRUE(is_open(raw));
  }
  EXPECT_FALSE(is_open(raw));
}

TEST(Fd, ReleaseGivesItUp) {
  int raw = Fd(open("/dev/null", O_RDONLY | O_CLOEXEC)).release();
  EXPECT_TRUE(is_open(raw));
  close(raw);
  Fd none(-1);
  EXPECT_FALSE(none);
}

TEST(JsonWriter, NestsAndSeparates) {
  std::ostringstream out;
  JsonWriter w(out);
  w.begin_object().field("a", 1).key("b").begin_array().value(2.5).value(true).null().end_array();
  w.field("c", "x").key("d").begin_object().end_object().end_object();
  EXPECT_EQ(out.str(), R"({"a":1,"b":[2.5,true,null],"c":"x","d":{}})");
}

TEST(JsonWriter, EscapesControlCharactersAndInvalidUtf8) {
  EXPECT_EQ(json_quote("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(json_quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // valid UTF-8 stays
  EXPECT_EQ(json_quote("bad\xff\xc3"), R"("bad\ufffd\ufffd")");
  EXPECT_EQ(json_quote("\xc0\xaf"), R"("\ufffd\ufffd")");  // overlong
}

TEST(JsonWriter, NonFiniteNumbersAreNull) {
  std::ostringstream out;
  JsonWriter w(out);
  w.begin_array().value(1.0 / 0.0).value(123456789.0).end_array();
  EXPECT_EQ(out.str(), "[null,1.23457e+08]");
}

TEST(Error, CodesAndExitStatus) {
  EXPECT_EQ(errno_error("x", EPERM).code(), Errc::NoPermission);
  EXPECT_EQ(errno_error("x", -EACCES).code(), Errc::NoPermission);
  EXPECT_EQ(errno_error("x", ENOENT).code(), Errc::NotFound);
  EXPECT_EQ(errno_error("x", EIO).code(), Errc::System);
  EXPECT_EQ(errno_error("x", EIO).sys_errno(), EIO);
  EXPECT_EQ(exit_status(Errc::Usage), 64);
  EXPECT_EQ(exit_status(Errc::NoPermission), 77);
  EXPECT_EQ(exit_status(Errc::Failed), 1);
  EXPECT_STREQ(errc_name(Errc::Verifier), "verifier");
}

TEST(Escape, ControlsAndInvalidUtf8BecomeHex) {
  EXPECT_EQ(escape_controls("plain caf\xc3\xa9 \xe2\x82\xac\n\tx"),
            "plain caf\xc3\xa9 \xe2\x82\xac\n\tx");
  EXPECT_EQ(escape_controls("a\x1b]0;t\x07\x1b[31mb"), "a\\x1b]0;t\\x07\\x1b[31mb");
  EXPECT_EQ(escape_controls("\r\x7f"), "\\x0d\\x7f");
  EXPECT_EQ(escape_controls("\xc2\x9b"
                            "2J"),
            "\\xc2\\x9b2J");  // C1 CSI
  EXPECT_EQ(escape_controls("\xff\xc3"), "\\xff\\xc3");
  EXPECT_EQ(escape_controls(std::string("a\0b", 3)), "a\\x00b");
}

TEST(Escape, StreamBufferEscapesLinesAndNeverCutsASequence) {
  std::ostringstream sink;
  EscapingStreambuf buf(sink.rdbuf());
  std::ostream out(&buf);
  out << "x\x1b[2J";
  out << "\xc3";  // the first byte of é
  out.flush();
  EXPECT_EQ(sink.str(), "x\\x1b[2J");
  out << "\xa9\n" << 'z' << '\x01' << std::flush;
  EXPECT_EQ(sink.str(), "x\\x1b[2J\xc3\xa9\nz\\x01");
}

TEST(JsonWriter, EscapesDelAndC1Controls) {
  EXPECT_EQ(json_quote("\x7f\xc2\x9b\xc2\xa0"), "\"\\u007f\\u009b\xc2\xa0\"");
}
