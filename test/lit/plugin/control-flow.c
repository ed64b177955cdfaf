// Every way out of a section ends it exactly once: for functions and
// blocks the rewrite adds one cleanup variable per section and leaves the
// program's own statements (returns inside macros, goto, break, continue,
// fallthrough, labels at the end of a block, declarations after
// statements) untouched.  Basic-block mode (basic-blocks.c) also wraps
// the statements that leave a case group.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -Werror -Wno-c23-extensions -fprofile-sections=functions,blocks --emit-instrumented=%t.c -c %s -o %t.o 2>&1 | count 0
// RUN: FileCheck %s < %t.c
// RUN: %inxpect-cc -O2 -g -Wall -Werror -Wno-c23-extensions -fprofile-sections=functions,blocks,basic-blocks -c %s -o %t.bb.o 2>&1 | count 0
// RUN: %clang-bpf -Werror -Wno-c23-extensions -c %s -o %t.plain.o

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#define BOUND(p, n, e)                          \
	do {                                    \
		if ((void *)(p) + (n) > (e))    \
			return XDP_DROP;        \
	} while (0)

// CHECK-LABEL: {{^}}static __always_inline int walk(void *d, void *e)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START(walk, {{[0-9]+}}, ""); INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}});{{$}}
// The macro's own do { } while (0) braces are not blocks of this file.
// CHECK-NEXT: {{^}}	BOUND(d, 14, e);{{$}}
INXPECT_SECTION
static __always_inline int walk(void *d, void *e)
{
	BOUND(d, 14, e);
	int n = 0; /* a declaration after a statement */

	for (int i = 0; i < 8; i++) {
		if (i == 1)
			continue;
		INXPECT_BLOCK(step) {
			if (i == 6)
				break;
			if (i == 5)
				goto out;
			BOUND(d, 14 + i, e);
			n += i;
		}
	}
out:
	switch (n) {
	case 0:
		INXPECT_BLOCK(zero) {
			n = 1;
		}
		/* fall through */
	case 1: {
		if (n > 3)
			goto done;
		n++;
	done:
	}
	}
	return n & 1 ? XDP_PASS : XDP_TX;
}
// CHECK: {{^}}		INXPECT_BLOCK(step) { INXPECT_SECTION_START_LOOP(step, {{[0-9]+}}, "\0parent=walk"); INXPECT_GUARD(
// CHECK: {{^}}				goto out;{{$}}
// CHECK: {{^}}		INXPECT_BLOCK(zero) { INXPECT_SECTION_START(zero, {{[0-9]+}}, "\0parent=walk"); INXPECT_GUARD(
// CHECK: {{^}}	case 1: {{{$}}

// The program has no section of its own: it begins the run that walk() joins.
// CHECK-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_BEGIN();{{$}}
SEC("xdp") int prog(struct xdp_md *ctx)
{
	return walk((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}

char LICENSE[] SEC("license") = "GPL";
