// A module is loaded only from a file root owns and nobody else can change,
// neither the file nor a directory above it (trusted_file.h).  The fixtures
// need root (root-owned files, chown); the test skips without it.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "libinxpect/error.h"
#include "libinxpect/trusted_file.h"

using namespace inxpect;

namespace {

class TrustedFile : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to make root-owned fixtures";
    char tmpl[] = "/run/inxpect-trust.XXXXXX";  // /run: root's, 0755
    if (!mkdtemp(tmpl)) GTEST_SKIP() << "cannot make a directory in /run";
    base_ = tmpl;
    try {
      open_trusted_file(file("probe", 0644));
    } catch (const Error& e) {
      GTEST_SKIP() << "/run is not trusted here: " << e.what();
    }
  }
  void TearDown() override {
    if (!base_.empty()) std::system(("rm -rf '" + base_ + "'").c_str());
  }
  std::string file(const std::string& name, mode_t mode) {
    std::string p = base_ + "/" + name;
    std::ofstream(p) << "module";
    chmod(p.c_str(), mode);
    return p;
  }
  std::string dir(const std::string& name, mode_t mode) {
    std::string p = base_ + "/" + name;
    mkdir(p.c_str(), 0700);
    chmod(p.c_str(), mode);
    return p;
  }
  static std::string refusal(const std::string& path) {
    try {
      open_trusted_file(path);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::NoPermission) << e.what();
      return e.what();
    }
    return "";
  }
  std::string base_;
};

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_F(TrustedFile, RootOwnedInRootOnlyDirectoriesOpens) {
  std::string resolved;
  Fd fd = open_trusted_file(file("ok.ko", 0644), &resolved);
  EXPECT_TRUE(fd);
  EXPECT_EQ(resolved, base_ + "/ok.ko");
}

TEST_F(TrustedFile, TheFileItselfMustBeRootsAndWritableByNobodyElse) {
  EXPECT_TRUE(contains(refusal(file("g.ko", 0664)), "file " + base_ +
                                                        "/g.ko can be written by others than "
                                                        "root (mode 0664)"));
  EXPECT_TRUE(contains(refusal(file("o.ko", 0646)), "(mode 0646)"));
  std::string theirs = file("theirs.ko", 0644);
  ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);
  EXPECT_TRUE(contains(refusal(theirs), "is owned by uid 65534, not root"));
  EXPECT_TRUE(contains(refusal(dir("d.ko", 0755)), "is not a regular file"));
}

TEST_F(TrustedFile, EveryDirectoryAboveItToo) {
  std::string open = dir("open", 0777);
  std::ofstream(open + "/x.ko") << "module";
  EXPECT_TRUE(
      contains(refusal(open + "/x.ko"), "refusing to load " + open + "/x.ko: directory " + open +
                                            " can be written by others than root (mode 0777)"));
  std::string sticky = dir("sticky", 01777);
  std::ofstream(sticky + "/x.ko") << "module";
  EXPECT_TRUE(contains(refusal(sticky + "/x.ko"), "(mode 1777)"));
  std::string theirs = dir("theirs", 0755);
  std::ofstream(theirs + "/x.ko") << "module";
  ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);
  EXPECT_TRUE(contains(refusal(theirs + "/x.ko"), "directory " + theirs + " is owned by uid"));
  // A link is followed, and where it leads is what is checked.
  std::string link = base_ + "/link.ko";
  ASSERT_EQ(symlink((open + "/x.ko").c_str(), link.c_str()), 0);
  EXPECT_TRUE(contains(refusal(link), "directory " + open + " can be written"));
}

TEST_F(TrustedFile, MissingIsNotFound) {
  try {
    open_trusted_file(base_ + "/none.ko");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::NotFound);
  }
}
