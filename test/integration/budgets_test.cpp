// The stack and verifier budgets of instrumentation (bpf/budgets.c), at
// every granularity inxpect-cc offers, measuring code called and inlined
// (-fprofile-sections-inline): what loads plain loads instrumented,
// and a section in a 320-iteration loop at most doubles the instructions
// the verifier processes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <string>

#include "bpf_env.h"
#include "libinxpect/loader.h"

using namespace inxpect;
using namespace inxpect::test;

namespace {

const char* const kModes[] = {"functions",        "blocks",
                              "basic_blocks",     "functions_blocks_basic_blocks",
                              "functions_inline", "basic_blocks_inline"};

// The verifier's "processed N insns" for `prog`.
unsigned processed(const LoadedObject& o, const std::string& prog) {
  std::string log = o.verifier_log(prog);
  size_t at = log.find("processed ");
  unsigned n = 0;
  if (at != std::string::npos) std::sscanf(log.c_str() + at, "processed %u", &n);
  return n;
}

LoadedObject load(const std::string& file) {
  LoaderOptions lo;
  lo.kernel_log_level = 4;  // statistics
  return LoadedObject::load(itest_object(file), ProbeConfig{}, lo);
}

}  // namespace

// The instrumented builds come from inxpect-cc, so not when
// INXPECT_BUILD_PLUGIN is off.
#define REQUIRE_BUDGET_OBJECTS()                                                           \
  do {                                                                                     \
    INXPECT_REQUIRE_BPF();                                                                 \
    if (access(itest_object("budgets.functions.o").c_str(), F_OK) != 0)                    \
      GTEST_SKIP() << "the budgets objects are built by inxpect-cc (INXPECT_BUILD_PLUGIN " \
                      "is off)";                                                           \
  } while (0)

TEST(Budgets, DeepStackWithTailCallLoadsInEveryMode) {
  REQUIRE_BUDGET_OBJECTS();
  load("budgets.bare.o");
  for (const char* m : kModes) {
    SCOPED_TRACE(m);
    EXPECT_NO_THROW(load(std::string("budgets.") + m + ".o"));
  }
}

// One section in the loop's body (the block, or the body as a basic
// block): at most twice the plain program's instructions.  All three modes
// together put two sections in each iteration; printed, not bounded.
TEST(Budgets, ASectionInALoopAtMostDoublesTheVerifiersWork) {
  REQUIRE_BUDGET_OBJECTS();
  unsigned bare = processed(load("budgets.bare.o"), "xdp_loop");
  ASSERT_GT(bare, 0u);
  for (const char* m : kModes) {
    unsigned n = processed(load(std::string("budgets.") + m + ".o"), "xdp_loop");
    std::printf("xdp_loop %s: processed %u insns (plain %u, %.2fx)\n", m, n, bare,
                static_cast<double>(n) / bare);
    if (std::string(m) != "functions_blocks_basic_blocks") EXPECT_LE(n, 2 * bare) << m;
  }
}
