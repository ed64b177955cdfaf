#include "Toolchain.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

volatile sig_atomic_t Child = 0;

bool exists(const std::string &P) {
  struct stat St;
  return stat(P.c_str(), &St) == 0;
}

// The directory above the one holding this executable (the install prefix).
std::string prefix() {
  char Buf[4096];
  ssize_t N = readlink("/proc/self/exe", Buf, sizeof(Buf) - 1);
  if (N <= 0)
    return "";
  std::string Exe(Buf, N);
  std::string Dir = Exe.substr(0, Exe.rfind('/'));
  return Dir.substr(0, Dir.rfind('/'));
}

std::string pick(const std::string &Installed, const std::string &Build) {
  return exists(Installed) ? Installed : exists(Build) ? Build : "";
}

} // namespace

bool inxpect::findToolchain(Toolchain &T, std::string &Why) {
  std::string Prefix = prefix();
  T.Clang = INXPECT_CLANG;
  T.ResourceDir = INXPECT_RESOURCE_DIR;
  T.SysInclude = INXPECT_SYS_INCLUDE;
  T.Plugin = pick(Prefix + "/" INXPECT_REL_PLUGIN, INXPECT_BUILD_PLUGIN);
  T.BpfInclude = pick(Prefix + "/" INXPECT_REL_BPF_INCLUDE "/inxpect/inxpect.h",
                      INXPECT_BUILD_BPF_INCLUDE "/inxpect/inxpect.h");
  if (!T.BpfInclude.empty())
    T.BpfInclude.resize(T.BpfInclude.size() - strlen("/inxpect/inxpect.h"));
  if (!exists(T.Clang))
    Why = "clang not found at " + T.Clang;
  else if (!exists(T.ResourceDir))
    Why = "clang resource directory not found at " + T.ResourceDir;
  else if (T.Plugin.empty())
    Why = "plugin inxpect-rewrite.so not found (looked in " + Prefix +
          "/" INXPECT_REL_PLUGIN " and " INXPECT_BUILD_PLUGIN ")";
  else if (T.BpfInclude.empty())
    Why = "inxpect/inxpect.h not found (looked in " + Prefix +
          "/" INXPECT_REL_BPF_INCLUDE " and " INXPECT_BUILD_BPF_INCLUDE ")";
  return Why.empty();
}

int inxpect::run(const std::vector<std::string> &Argv) {
  std::vector<char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(const_cast<char *>(A.c_str()));
  Args.push_back(nullptr);
  pid_t Pid;
  int Err = posix_spawn(&Pid, Args[0], nullptr, nullptr, Args.data(), environ);
  if (Err) {
    fprintf(stderr, "inxpect-cc: cannot run %s: %s\n", Args[0], strerror(Err));
    return 1;
  }
  Child = Pid;
  int Status;
  while (waitpid(Pid, &Status, 0) < 0)
    if (errno != EINTR) {
      Child = 0;
      return 1;
    }
  Child = 0;
  if (WIFSIGNALED(Status))
    return 128 + WTERMSIG(Status);
  return WEXITSTATUS(Status);
}

int inxpect::runningChild() { return Child; }
