// Annotations change nothing in a plain-clang build.  An annotate
// attribute would make clang emit an out-of-line copy of the function,
// which BPF rejects for a struct returned by value ("aggregate returns are
// not supported") or a signed division that only folds once inlined: the
// attributes of <inxpect/annotate.h> exist only while the plugin parses,
// and attributes spelled out in the file are cut from the rewritten
// source.
// REQUIRES: plugin
// RUN: %clang-bpf -Werror -c %s -o %t.plain.o
// RUN: llvm-nm %t.plain.o | FileCheck %s --check-prefix=SYMS
// RUN: %inxpect-cc -O2 -g -Wall -Werror -DSPELLED -fprofile-sections --emit-instrumented=%t.c -c %s -o %t.o
// RUN: FileCheck %s < %t.c
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=SYMS
// RUN: llvm-objcopy -O binary --only-section=.data.inxpect %t.o %t.sites
// RUN: tr '\0' ' ' < %t.sites | FileCheck %s --check-prefix=SITES

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

struct pair {
	int a, b;
};

// No out-of-line copy of the inline helpers, in either build.
// SYMS-NOT: {{ (make|half|spelled)$}}
// SYMS: prog

INXPECT_SECTION
static __always_inline struct pair make(int x)
{
	struct pair p = { x, x + 1 };

	return p;
}

INXPECT_SECTION_NAMED(halves)
static __always_inline int half(int x)
{
	return x / 2;
}

#ifdef SPELLED
// CHECK: {{^}}__attribute__(()){{$}}
// CHECK-NEXT: {{^}}static __always_inline struct pair spelled(int x)
__attribute__((annotate("inxpect.section")))
static __always_inline struct pair spelled(int x)
{
	struct pair p = { x, -x };

	return p;
}
#else
#define spelled make
#endif

// SITES-DAG: site=start name=make
// SITES-DAG: site=start name=halves
// SITES-DAG: site=start name=spelled
SEC("xdp") int prog(struct xdp_md *ctx)
{
	struct pair q = make(ctx->ingress_ifindex), s = spelled(q.a);

	return q.b + s.b + half(40) > 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
