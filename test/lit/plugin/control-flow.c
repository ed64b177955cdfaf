// Every way out of a section ends it exactly once: the rewrite adds one
// cleanup variable per section and leaves the program's own statements
// (returns inside macros, goto, break, continue, fallthrough, labels at the
// end of a block, declarations after statements) untouched.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -Werror -Wno-c23-extensions -fprofile-sections=functions,blocks,basic-blocks --emit-instrumented=%t.c -c %s -o %t.o 2>&1 | count 0
// RUN: FileCheck %s < %t.c
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
// CHECK-NEXT: {{^}}{ START_TRACE_CALL(walk); int __inxpect_g_{{[0-9]+}} {{.*}} = 0;{{$}}
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
// CHECK: {{^}}		INXPECT_BLOCK(step) { START_TRACE_CALL_IN(step, walk_L{{[0-9]+}});
// CHECK: {{^}}				goto out;{{$}}
// CHECK: {{^}}		INXPECT_BLOCK(zero) { START_TRACE_CALL_IN(zero, walk);
// CHECK: {{^}}	case 1: { START_TRACE_CALL_IN(walk_L{{[0-9]+}}, walk);

SEC("xdp") int prog(struct xdp_md *ctx)
{
	return walk((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}

char LICENSE[] SEC("license") = "GPL";
