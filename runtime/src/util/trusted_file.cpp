#include "libinxpect/trusted_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "libinxpect/error.h"

namespace inxpect {
namespace {

std::string mode_text(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

// Why `st` (of `what`, `path`) cannot be trusted, or "".
std::string untrusted(const struct stat& st, const char* what, const std::string& path) {
  if (st.st_uid != 0)
    return what + (" " + path) + " is owned by uid " + std::to_string(st.st_uid) + ", not root";
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return what + (" " + path) + " can be written by others than root (mode " +
           mode_text(st.st_mode) + ")";
  return "";
}

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw Error("refusing to load " + path + ": " + why, Errc::NoPermission);
}

}  // namespace

Fd open_trusted_file(const std::string& path, std::string* resolved) {
  std::unique_ptr<char, decltype(&std::free)> real(realpath(path.c_str(), nullptr), &std::free);
  if (!real) throw errno_error("cannot open " + path, errno);
  std::string r = real.get();
  // Every directory from / down: none of them may be changed by others,
  // or the file could be swapped after it was checked.
  std::vector<std::string> dirs{"/"};
  for (size_t slash = r.find('/', 1); slash != std::string::npos; slash = r.find('/', slash + 1))
    dirs.push_back(r.substr(0, slash));
  for (const std::string& dir : dirs) {
    struct stat st;
    if (lstat(dir.c_str(), &st)) throw errno_error("cannot inspect " + dir, errno);
    if (!S_ISDIR(st.st_mode)) refuse(path, dir + " is not a directory");
    if (std::string why = untrusted(st, "directory", dir); !why.empty()) refuse(path, why);
  }
  Fd fd(open(r.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) throw errno_error("cannot open " + r, errno);
  struct stat st;
  if (fstat(fd.get(), &st)) throw errno_error("cannot inspect " + r, errno);
  if (!S_ISREG(st.st_mode)) refuse(path, r + " is not a regular file");
  if (std::string why = untrusted(st, "file", r); !why.empty()) refuse(path, why);
  if (resolved) *resolved = r;
  return fd;
}

}  // namespace inxpect
