// Block granularity: "#pragma inxpect section(name)" and INXPECT_BLOCK()
// mark the compound statement that follows; nested sections name their
// parent (START_TRACE_IN).  Without =blocks the pragmas are only hidden.
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
// CHECK-NEXT: {{^}}{ START_TRACE_CALL(prog);
// BLOCKS-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// BLOCKS-NEXT: {{^}}{{{$}}
INXPECT_SECTION
SEC("xdp") int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	int n = 0;

// CHECK: {{^}}	// #pragma inxpect section(eth)
// CHECK-NEXT: {{^}}	{ START_TRACE_CALL_IN(eth, prog); int __inxpect_g_{{[0-9]+}} __attribute__((cleanup(__inxpect_end_{{[0-9]+}}), unused)) = 0;{{$}}
// BLOCKS: {{^}}	{ START_TRACE_CALL(eth);
// FUNCS: {{^}}	// #pragma inxpect section(eth)
// FUNCS-NEXT: {{^}}	{{{$}}
	#pragma inxpect section(eth)
	{
		if (d + 14 > e)
			return XDP_DROP;
// CHECK: {{^}}		INXPECT_BLOCK(inner) /* comment */ { START_TRACE_CALL_IN(inner, eth);
		INXPECT_BLOCK(inner) /* comment */ {
			n++;
		}
// END-DAG: {{^}}#line [[@LINE-1]] "{{.*}}blocks.c"
// END-DAG: {{^}}static __always_inline void __inxpect_end_{{[0-9]+}}(int *g) { END_TRACE_CALL(inner); }
	}
// END-DAG: {{^}}#line [[@LINE-1]] "{{.*}}blocks.c"
// END-DAG: {{^}}static __always_inline void __inxpect_end_{{[0-9]+}}(int *g) { END_TRACE_CALL(eth); }

	// Unnamed: called after the function and the line of the '{'.
// CHECK: {{^}}	{ START_TRACE_CALL_IN(prog_L[[@LINE+2]], prog);
	INXPECT_BLOCK_AUTO
	{
		n += 2;
	}
	return n > 100 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
