// -fprofile-sections-bare-copy: each program keeps its body as written, in
// a function of its own that a run the sampling does not measure returns
// through; where a copy could behave differently the program keeps none,
// and says why.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -fprofile-sections=functions,blocks -fprofile-sections-bare-copy --emit-instrumented=%t.c -c %s -o %t.o 2> %t.err
// RUN: FileCheck %s < %t.c
// RUN: FileCheck %s --check-prefix=WARN < %t.err
// Without the option, no copy.
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=functions,blocks --emit-instrumented=%t.plain.c -c %s -o %t.plain.o 2>&1 | count 0
// RUN: FileCheck %s --check-prefix=PLAIN < %t.plain.c

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>
#include <inxpect/inxpect.h>

static __always_inline int parse(void *d, void *e)
{
	return d + 14 > e ? XDP_DROP : XDP_PASS;
}

// A function with a section of its own gets a copy too, declared as
// written: what the programs' copies call.
INXPECT_SECTION
static __always_inline int check(void *d, void *e)
{
	return parse(d, e);
}

// The declaration goes before the program's first attribute, on its line.
// CHECK: {{^}}static __inline__ __attribute__((__always_inline__)) int __inxpect_bare_whole(struct xdp_md *ctx); INXPECT_SECTION_NAMED(whole){{$}}
// CHECK-NEXT: {{^}}SEC("xdp"){{$}}
// CHECK-NEXT: {{^}}int whole(struct xdp_md *ctx){{$}}
// CHECK-NEXT: {{^}}{ INXPECT_RUN_BEGIN_SECTION_BARE(whole, {{[0-9]+}}, "", __inxpect_bare_whole(ctx)); INXPECT_GUARD(
INXPECT_SECTION_NAMED(whole)
SEC("xdp")
int whole(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;

#pragma unroll
	for (int i = 0; i < 2; i++)
		d += 0;
	return check(d, e);
}

// A program whose sections are blocks: the run begins bare.
// CHECK-LABEL: {{^}}int blocks(struct xdp_md *ctx){{$}}
// CHECK-NEXT: {{^}}{ INXPECT_RUN_BEGIN_BARE(__inxpect_bare_blocks(ctx)); {{.*}}
SEC("xdp")
int blocks(struct xdp_md *ctx)
{ int r = XDP_PASS;
	INXPECT_BLOCK(work) {
		r = parse((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	}
	return r;
}

// WARN: bare-copy.c:[[@LINE+3]]:5: warning: inxpect: program 'directive' keeps no bare copy (runs not measured run its instrumented code): its body holds a preprocessor directive other than #pragma
INXPECT_SECTION
SEC("xdp")
int directive(struct xdp_md *ctx)
{
#if 1
	return XDP_PASS;
#endif
}

// WARN: bare-copy.c:[[@LINE+3]]:5: warning: inxpect: program 'counted' keeps no bare copy (runs not measured run its instrumented code): its body names static, __func__, __COUNTER__ or a hand-written section
INXPECT_SECTION
SEC("xdp")
int counted(struct xdp_md *ctx)
{
	static volatile int n;

	return n++ & 1 ? XDP_PASS : XDP_DROP;
}

// The same for a hand-written section: its slot would be taken twice.
// WARN: bare-copy.c:[[@LINE+3]]:5: warning: inxpect: program 'hand' keeps no bare copy (runs not measured run its instrumented code): its body names static, __func__, __COUNTER__ or a hand-written section
INXPECT_SECTION
SEC("xdp")
int hand(struct xdp_md *ctx)
{
	START_TRACE(inner);
	END_TRACE(inner);
	return XDP_PASS;
}
// CHECK-LABEL: {{^}}int directive(struct xdp_md *ctx){{$}}
// CHECK-NEXT: {{^}}{ INXPECT_RUN_BEGIN_SECTION(directive,

// The copies, at the end of the file under the lines of the bodies they
// copy; another function's keeps its declaration, renamed, and is declared
// first.  In the copies, calls of functions that have one call the copy.
// CHECK: {{^}}static __always_inline int __inxpect_bare_check(void *d, void *e){{$}}
// CHECK-NEXT: {{^}};{{$}}
// CHECK-NEXT: {{^}}#line 25 "{{.*}}bare-copy.c"{{$}}
// CHECK-NEXT: {{^}}INXPECT_SECTION{{$}}
// CHECK-NEXT: {{^}}static __always_inline int __inxpect_bare_check(void *d, void *e){{$}}
// CHECK-NEXT: {{^}}{{{$}}
// CHECK-NEXT: {{^}}	return parse(d, e);{{$}}
// CHECK: {{^}}#line 39 "{{.*}}bare-copy.c"{{$}}
// CHECK-NEXT: {{^}}static __inline__ __attribute__((__always_inline__)) int __inxpect_bare_whole(struct xdp_md *ctx) {{{$}}
// CHECK-NEXT: {{^}}	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;{{$}}
// CHECK: {{^}}	return __inxpect_bare_check(d, e);{{$}}
// CHECK: {{^}}#line 53 "{{.*}}bare-copy.c"{{$}}
// CHECK-NEXT: {{^}}static __inline__ __attribute__((__always_inline__)) int __inxpect_bare_blocks(struct xdp_md *ctx) { int r = XDP_PASS;{{$}}
// CHECK-NEXT: {{^}}	INXPECT_BLOCK(work) {{{$}}
// CHECK-NOT: __inxpect_bare_directive
// CHECK-NOT: __inxpect_bare_counted
// CHECK-NOT: __inxpect_bare_hand

// PLAIN-NOT: {{^[^/]*}}__inxpect_bare

char LICENSE[] SEC("license") = "GPL";
