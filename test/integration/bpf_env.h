// What the integration tests share: skipping where BPF cannot run, and the
// paths of the objects they load.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace inxpect::test {

// Empty when BPF programs can be loaded and test-run here, else the reason.
std::string bpf_unavailable_reason();

// Pins the calling thread to one CPU, so per-CPU sampling countdowns are
// exact and the figures land in one place.
void pin_to_cpu0();

// Whether the examples were built (they need inxpect-cc).
bool examples_built();

inline std::string itest_object(const std::string& name) {
  return std::string(INXPECT_ITEST_DIR) + "/" + name;
}
inline std::string example_object(const std::string& name) {
  return std::string(INXPECT_EXAMPLES_DIR) + "/" + name;
}

}  // namespace inxpect::test

// The examples are built with inxpect-cc, so not when INXPECT_BUILD_PLUGIN
// is off.
#define INXPECT_REQUIRE_EXAMPLES()                                                \
  do {                                                                            \
    INXPECT_REQUIRE_BPF();                                                        \
    if (!::inxpect::test::examples_built())                                       \
      GTEST_SKIP() << "the examples are not built (INXPECT_BUILD_PLUGIN is off)"; \
  } while (0)

#define INXPECT_REQUIRE_BPF()                                    \
  do {                                                           \
    std::string why = ::inxpect::test::bpf_unavailable_reason(); \
    if (!why.empty()) GTEST_SKIP() << why;                       \
  } while (0)
