// Block granularity: "#pragma inxpect section(name)" and INXPECT_BLOCK()
// mark the compound statement that follows; nested sections name their
// parent (parent= in their START's site record).  Without =blocks the
// pragmas are only hidden.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=functions,blocks --emit-instrumented=%t.c -c %s -o %t.o
// RUN: FileCheck %s < %t.c
// RUN: FileCheck %s --check-prefix=END < %t.c
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=blocks --emit-instrumented=%t.b.c -c %s -o %t.b.o
// RUN: FileCheck %s --check-prefix=BLOCKS < %t.b.c
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=functions --emit-instrumented=%t.f.c -c %s -o %t.f.o
// RUN: FileCheck %s --check-prefix=FUNCS < %t.f.c
// RUN: %clang-bpf -Werror -Wno-unknown-pragmas -c %s -o %t.plain.o

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

// CHECK-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_BEGIN_SECTION(prog, 0, ""); INXPECT_GUARD(
// BLOCKS-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// BLOCKS-NEXT: {{^}}{ INXPECT_RUN_BEGIN();{{$}}
INXPECT_SECTION
SEC("xdp") int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	int n = 0;

// CHECK: {{^}}	// #pragma inxpect section(eth)
// CHECK-NEXT: {{^}}	{ INXPECT_SECTION_START(eth, 1, "\0parent=prog"); INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}});{{$}}
// BLOCKS: {{^}}	{ INXPECT_SECTION_START(eth, {{[0-9]+}}, ""); INXPECT_GUARD(
// FUNCS: {{^}}	// #pragma inxpect section(eth)
// FUNCS-NEXT: {{^}}	{{{$}}
	#pragma inxpect section(eth)
	{
		if (d + 14 > e)
			return XDP_DROP;
// CHECK: {{^}}		INXPECT_BLOCK(inner) /* comment */ { INXPECT_SECTION_START(inner, 2, "\0parent=eth"); INXPECT_GUARD(
		INXPECT_BLOCK(inner) /* comment */ {
			n++;
		}
// END-DAG: {{^}}#line [[@LINE-1]] "{{.*}}blocks.c"
// END-DAG: {{^}}static __inline__ __attribute__((__always_inline__)) void __inxpect_end_{{[0-9]+}}(__inxpect_run_t *g) { INXPECT_SECTION_END(inner, 2, *g); }{{$}}
	}
// END-DAG: {{^}}#line [[@LINE-1]] "{{.*}}blocks.c"
// END-DAG: {{^}}static __inline__ __attribute__((__always_inline__)) void __inxpect_end_{{[0-9]+}}(__inxpect_run_t *g) { INXPECT_SECTION_END(eth, 1, *g); }{{$}}

	// Unnamed: called after the function and the line of the '{'.
// CHECK: {{^}}	{ INXPECT_SECTION_START(prog_L[[@LINE+2]], 3, "\0parent=prog");
	INXPECT_BLOCK_AUTO
	{
		n += 2;
	}
	return n > 100 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
