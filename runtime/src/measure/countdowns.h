// Each CPU's sampling countdown (inxpect.h's __inxpect_draws in .bss),
// started over so that a new sample rate applies from the next run, for
// objects inxpect loaded and for programs loaded by others alike.
#pragma once

#include <bpf/btf.h>

#include <cstddef>

namespace inxpect {

// Whether `b`'s draw state keeps the run's decision in its countdown word,
// as inxpect.h does for programs with bare copies (INXPECT_BARE_COPY: the
// struct has no `on`).  False where `b` has no draw state.
bool one_word_draws(const btf* b);

// Zeroes the countdowns in the .bss map `fd` (value `size` bytes, laid out
// as BTF datasec `sec` of `b`), through a mapping of the map, so the
// program's own .bss variables are not touched; a tick written by a run at
// the same moment is harmless.  Does nothing when the map holds no
// countdowns or cannot be mapped (not BPF_F_MMAPABLE).
void zero_countdowns(int fd, size_t size, const btf* b, int sec);

// The same for the .bss map of a program loaded by others, opened by id:
// its layout comes from the map's own BTF in the kernel.  A .bss its
// loader did not make mappable is written whole, and so only when it holds
// nothing but inxpect.h's variables.
void zero_countdowns(int fd);

}  // namespace inxpect
