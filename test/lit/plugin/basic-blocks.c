// Basic-block granularity: every statement-level basic block of the
// functions in scope is a section named <function>_L<line>: each arm of an
// if/else and each loop body, braced or not (the plugin adds braces on the
// arm's own lines), each case group of a switch (plain START after its
// last label, END before each way out), and each straight-line run of a
// sequence that also has control flow.  check-cfg compares the count with
// clang's CFG for every function.
// Sections in functions with loops use the _LOOP forms of START and END
// (docs/instrumentation.md), hence {{(_LOOP)?}}; control-flow.c checks which.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=basic-blocks --emit-instrumented=%t.c -c %s -o %t.o -Xclang -plugin-arg-inxpect-rewrite -Xclang check-cfg 2> %t.cfg
// RUN: FileCheck %s < %t.c
// RUN: FileCheck %s --check-prefix=COUNT < %t.cfg
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=functions,basic-blocks -fprofile-sections-scope=all --emit-instrumented=%t.all.c -c %s -o %t.all.o -Xclang -plugin-arg-inxpect-rewrite -Xclang check-cfg 2> %t.all.cfg
// RUN: FileCheck %s --check-prefix=ALL < %t.all.c
// RUN: FileCheck %s --check-prefix=WHOLE-COUNT < %t.all.cfg
// The site records name the user's lines (START on the arm's line, END on
// the line where the section ends).
// RUN: llvm-objcopy -O binary --only-section=.data.inxpect %t.o %t.sites
// RUN: tr '\0' ' ' < %t.sites | FileCheck %s --check-prefix=SITES
// RUN: %clang-bpf -Werror -c %s -o %t.plain.o

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#define NEED(p, n, e)                                   \
	do {                                            \
		if ((void *)(p) + (n) > (void *)(e))    \
			return XDP_DROP;                \
	} while (0)
#define BAIL return XDP_ABORTED

// COUNT: basic-blocks.c:[[@LINE+2]]:5: remark: inxpect: 'f': 8 basic-block sections placed, 0 skipped; clang's CFG: 8 measured statement-level blocks
INXPECT_SECTION
int f(struct xdp_md *ctx)
{
	int a = ctx->ingress_ifindex, r = 0;
	if (a > 3)
		r = 1;
	else if (a > 1)
		r = 2;
	for (int i = 0; i < 4; i++)
		r += i;
	switch (a) {
	case 1: r++; break;
	case 2: r--; /* fallthrough */
	default: r *= 2;
	}
	return r > 2 ? XDP_DROP : XDP_PASS;
}
// The example of issue 11: the body, the run of declarations, the two arms
// (the else-if is a ladder, not an arm), the loop body, three case groups.
// CHECK-LABEL: {{^}}int f(struct xdp_md *ctx)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START{{(_LOOP)?}}(f_L[[@LINE-18]], {{[0-9]+}}, ""); INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}});{{$}}
// CHECK-NEXT: {{^}}	INXPECT_SECTION_START{{(_LOOP)?}}(f_L[[@LINE-18]], [[S1:[0-9]+]], "\0parent=f_L[[@LINE-19]]"); int a = ctx->ingress_ifindex, r = 0; INXPECT_SECTION_END{{(_LOOP)?}}(f_L[[@LINE-18]], [[S1]], __inxpect_run);{{$}}
// CHECK-NEXT: {{^}}	if (a > 3){{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START{{(_LOOP)?}}(f_L[[@LINE-18]], {{[0-9]+}}, "\0parent=f_L[[@LINE-21]]"); INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}}); r = 1; }{{$}}
// CHECK-NEXT: {{^}}	else if (a > 1){{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START{{(_LOOP)?}}(f_L[[@LINE-18]], {{.*}} r = 2; }{{$}}
// CHECK-NEXT: {{^}}	for (int i = 0; i < 4; i++){{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START{{(_LOOP)?}}(f_L[[@LINE-18]], {{.*}} r += i; }{{$}}
// CHECK-NEXT: {{^}}	switch (a) {{{$}}
// CHECK-NEXT: {{^}}	case 1: INXPECT_SECTION_START{{(_LOOP)?}}(f_L[[@LINE-18]], [[S2:[0-9]+]], "\0parent=f_L[[@LINE-27]]");  r++; { INXPECT_SECTION_END{{(_LOOP)?}}(f_L[[@LINE-18]], [[S2]], __inxpect_run); break; }{{$}}
// CHECK-NEXT: {{^}}	case 2: INXPECT_SECTION_START{{(_LOOP)?}}(f_L[[@LINE-18]], {{.*}});  r--; INXPECT_SECTION_END{{(_LOOP)?}}(f_L[[@LINE-18]], {{[0-9]+}}, __inxpect_run); /* fallthrough */{{$}}
// CHECK-NEXT: {{^}}	default: INXPECT_SECTION_START{{(_LOOP)?}}(f_L[[@LINE-18]], {{.*}});  r *= 2; INXPECT_SECTION_END{{(_LOOP)?}}(f_L[[@LINE-18]], {{[0-9]+}}, __inxpect_run);{{$}}
// CHECK-NEXT: {{^}}	}{{$}}
// CHECK-NEXT: {{^}}	return r > 2 ? XDP_DROP : XDP_PASS;{{$}}
// With functions,basic-blocks the body is the function's section.
// ALL-LABEL: {{^}}int f(struct xdp_md *ctx)
// ALL-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START(f, {{[0-9]+}}, ""); INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}});{{$}}
// ALL-NEXT: {{^}}	INXPECT_SECTION_START(f_L[[@LINE-34]], {{[0-9]+}}, "\0parent=f");

// COUNT: basic-blocks.c:[[@LINE+2]]:5: remark: inxpect: 'chains': 11 basic-block sections placed, 0 skipped; clang's CFG: 11 measured statement-level blocks
INXPECT_SECTION
int chains(int a, int b)
{
	int r = 0;
	if (a)
		if (b)
			r = 1;
		else
			r = 2;
	else
		r = 3;
	if (a > 9) r = 4; else if (a > 8) r = 5; else if (a > 7) { r = 6; } else r = 7;
	if (b == 7)
		BAIL;
	return r;
}
// Nested unbraced if/else: the outer then-arm is the whole inner if, its
// braces close after the inner else, so each else keeps its if.
// CHECK-LABEL: {{^}}int chains(int a, int b)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B:]],
// CHECK: {{^}}	if (a){{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+3]], {{.*}}); if (b){{$}}
// CHECK-NEXT: {{^}}			{ INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+4]], {{[0-9]+}}, "\0parent=chains_L[[#B+3]]"); INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}}); r = 1; }{{$}}
// CHECK-NEXT: {{^}}		else{{$}}
// CHECK-NEXT: {{^}}			{ INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+6]], {{[0-9]+}}, "\0parent=chains_L[[#B+3]]"); INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}}); r = 2; } }{{$}}
// CHECK-NEXT: {{^}}	else{{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+8]], {{.*}} r = 3; }{{$}}
// An else-if ladder on one line: names made unique with the column.
// CHECK-NEXT: {{^}}	if (a > 9) { INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+9]], {{.*}} r = 4; } else if (a > 8) { INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+9]]_C36, {{.*}} r = 5; } else if (a > 7) { INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+9]]_C59, {{.*}} r = 6; } else { INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+9]]_C75, {{.*}} r = 7; }{{$}}
// An arm that is a whole macro expansion is braced around it.
// CHECK-NEXT: {{^}}	if (b == 7){{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START{{(_LOOP)?}}(chains_L[[#B+11]], {{.*}}); BAIL; }{{$}}

// COUNT: basic-blocks.c:[[@LINE+2]]:5: remark: inxpect: 'loops': 7 basic-block sections placed, 0 skipped; clang's CFG: 7 measured statement-level blocks
INXPECT_SECTION
int loops(int n)
{
	int r = 0, i = 0;
	while (i < n)
		i++;
	do
		r += 2;
	while (r < n);
	do {
		r++;
	} while (0);
	for (i = 0; i < n; i++) {
		if (i == 2)
			continue;
		r += i;
	}
	return r;
}
// CHECK-LABEL: {{^}}int loops(int n)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START{{(_LOOP)?}}(loops_L[[#B:]],
// CHECK: {{^}}	while (i < n){{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START{{(_LOOP)?}}(loops_L[[#B+3]], {{.*}} i++; }{{$}}
// CHECK-NEXT: {{^}}	do{{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START{{(_LOOP)?}}(loops_L[[#B+5]], {{.*}} r += 2; }{{$}}
// CHECK-NEXT: {{^}}	while (r < n);{{$}}
// do ... while (0) is no loop: its body is plain statements.
// CHECK-NEXT: {{^}}	do {{{$}}
// CHECK-NEXT: {{^}}		r++;{{$}}
// CHECK-NEXT: {{^}}	} while (0);{{$}}
// A loop body that continues: the cleanup ends it on continue.
// CHECK-NEXT: {{^}}	for (i = 0; i < n; i++) { INXPECT_SECTION_START{{(_LOOP)?}}(loops_L[[#B+10]], {{.*}} INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}});{{$}}
// CHECK-NEXT: {{^}}		if (i == 2){{$}}
// CHECK-NEXT: {{^}}			{ INXPECT_SECTION_START{{(_LOOP)?}}(loops_L[[#B+12]], {{.*}} INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}}); continue; }{{$}}
// CHECK-NEXT: {{^}}		INXPECT_SECTION_START{{(_LOOP)?}}(loops_L[[#B+13]], {{[0-9]+}}, "\0parent=loops_L[[#B+10]]"); r += i; INXPECT_SECTION_END{{(_LOOP)?}}(loops_L[[#B+13]], {{[0-9]+}}, __inxpect_run);{{$}}

// COUNT: basic-blocks.c:[[@LINE+2]]:5: remark: inxpect: 'cases': 15 basic-block sections placed, 0 skipped; clang's CFG: 15 measured statement-level blocks
INXPECT_SECTION
int cases(int a, int *p)
{
	int r = 0;
	for (int i = 0; i < 8; i++) {
		switch (a + i) {
		case 0:
		case 1:
			r++;
			break;
		default:
			r--;
			if (r < -5)
				goto out;
			/* fall through */
		case 2 ... 4:
			if (r > 100)
				return r;
			r += 3;
			__attribute__((fallthrough));
		case 5:
			if (*p)
				continue;
			r *= 2;
			break;
		case 6: {
			int t = r;
			r = t + 1;
			return t;
		}
		case 7:
			;
		case 8:
			r = 0;
		}
	}
out:
	return r;
}
// Labels with no code between are one group, START after the last.
// CHECK-LABEL: {{^}}int cases(int a, int *p)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B:]],
// CHECK: {{^}}		case 0:{{$}}
// CHECK-NEXT: {{^}}		case 1: INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+5]], [[C1:[0-9]+]], "\0parent=cases_L[[#B+2]]"); {{$}}
// CHECK-NEXT: {{^}}			r++;{{$}}
// CHECK-NEXT: {{^}}			{ INXPECT_SECTION_END{{(_LOOP)?}}(cases_L[[#B+5]], [[C1]], __inxpect_run); break; }{{$}}
// A default in the middle; a nested goto leaves it through an exit guard,
// and it falls through: END right after its last statement.
// CHECK-NEXT: {{^}}		default: INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+8]], [[C2:[0-9]+]], "\0parent=cases_L[[#B+2]]"); {{$}}
// CHECK-NEXT: {{^}}			INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+9]], {{[0-9]+}}, "\0parent=cases_L[[#B+8]]"); r--; INXPECT_SECTION_END{{(_LOOP)?}}(cases_L[[#B+9]], {{[0-9]+}}, __inxpect_run);{{$}}
// CHECK-NEXT: {{^}}			{ INXPECT_GUARD(__inxpect_x_[[X1:[0-9]+]], __inxpect_leave_[[X1]]); if (r < -5){{$}}
// CHECK-NEXT: {{^}}				{ INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+11]], {{.*}} INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}}); goto out; } __inxpect_x_[[X1]] = 0; } INXPECT_SECTION_END{{(_LOOP)?}}(cases_L[[#B+8]], [[C2]], __inxpect_run);{{$}}
// CHECK-NEXT: {{^}}			/* fall through */{{$}}
// A case range; END before the fallthrough attribute, which must stay
// right before the next label.
// CHECK-NEXT: {{^}}		case 2 ... 4: INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+13]], [[C3:[0-9]+]], {{.*}} {{$}}
// CHECK-NEXT: {{^}}			{ INXPECT_GUARD(__inxpect_x_[[X2:[0-9]+]], __inxpect_leave_[[X2]]); if (r > 100){{$}}
// CHECK-NEXT: {{^}}				{ INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+15]], {{.*}} INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}}); return r; } __inxpect_x_[[X2]] = 0; }{{$}}
// CHECK-NEXT: {{^}}			INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+16]], {{.*}} r += 3; INXPECT_SECTION_END{{(_LOOP)?}}(cases_L[[#B+16]], {{[0-9]+}}, __inxpect_run); INXPECT_SECTION_END{{(_LOOP)?}}(cases_L[[#B+13]], [[C3]], __inxpect_run);{{$}}
// CHECK-NEXT: {{^}}			__attribute__((fallthrough));{{$}}
// continue leaves the switch's group too.
// CHECK-NEXT: {{^}}		case 5: INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+18]], [[C4:[0-9]+]], {{.*}} {{$}}
// CHECK-NEXT: {{^}}			{ INXPECT_GUARD(__inxpect_x_[[X3:[0-9]+]], __inxpect_leave_[[X3]]); if (*p){{$}}
// CHECK-NEXT: {{^}}				{ INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+20]], {{.*}} INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}}); continue; } __inxpect_x_[[X3]] = 0; }{{$}}
// CHECK: {{^}}			{ INXPECT_SECTION_END{{(_LOOP)?}}(cases_L[[#B+18]], [[C4]], __inxpect_run); break; }{{$}}
// A braced group: START outside the braces, return through an exit guard
// (END after the value is computed), no END at its end (it cannot fall).
// CHECK-NEXT: {{^}}		case 6: INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+23]], {{.*}});  {{{$}}
// CHECK-NEXT: {{^}}			int t = r;{{$}}
// CHECK-NEXT: {{^}}			r = t + 1;{{$}}
// CHECK-NEXT: {{^}}			{ INXPECT_GUARD(__inxpect_x_[[X5:[0-9]+]], __inxpect_leave_[[X5]]); return t; }{{$}}
// CHECK-NEXT: {{^}}		}{{$}}
// CHECK-NEXT: {{^}}		case 7:{{$}}
// CHECK-NEXT: {{^}}			;{{$}}
// CHECK-NEXT: {{^}}		case 8: INXPECT_SECTION_START{{(_LOOP)?}}(cases_L[[#B+30]], [[C5:[0-9]+]], {{.*}} {{$}}
// CHECK-NEXT: {{^}}			r = 0; INXPECT_SECTION_END{{(_LOOP)?}}(cases_L[[#B+30]], [[C5]], __inxpect_run);{{$}}

// WHOLE-COUNT: basic-blocks.c:[[@LINE+1]]:16: remark: inxpect: 'prog': 5 basic-block sections placed, 0 skipped; clang's CFG: 5 measured statement-level blocks
SEC("xdp") int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	int x = 0;

	NEED(d, 14, e);
	switch (((unsigned char *)d)[12]) {
	case 8:
		NEED(d, 34, e);
		x = 1;
		break;
	case 0x86:
		x = 2;
	}
	return x + f(ctx) + chains(x, 1) + loops(x) + cases(x, &x) ? XDP_PASS : XDP_DROP;
}
// Not annotated: sections only with scope=all, but a program begins the
// runs of the file's sections all the same.  A bounds check's return is
// the macro's own control flow, one statement of the source: a run stops
// before it, and in a case group an exit guard holds it.
// CHECK-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_BEGIN();{{$}}
// ALL-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// ALL-NEXT: {{^}}{ INXPECT_RUN_BEGIN_SECTION(prog, {{[0-9]+}}, ""); INXPECT_GUARD(__inxpect_g_{{[0-9]+}}, __inxpect_end_{{[0-9]+}});{{$}}
// ALL-NEXT: {{^}}	INXPECT_SECTION_START(prog_L[[#P:]], {{.*}} void *d = {{.*}};{{$}}
// ALL-NEXT: {{^}}	int x = 0; INXPECT_SECTION_END(prog_L[[#P]], {{[0-9]+}}, __inxpect_run);{{$}}
// ALL-EMPTY:
// ALL-NEXT: {{^}}	NEED(d, 14, e);{{$}}
// ALL-NEXT: {{^}}	switch (((unsigned char *)d)[12]) {{{$}}
// ALL-NEXT: {{^}}	case 8: INXPECT_SECTION_START(prog_L[[#P+5]], {{.*}} {{$}}
// ALL-NEXT: {{^}}		{ INXPECT_GUARD(__inxpect_x_[[X4:[0-9]+]], __inxpect_leave_[[X4]]); NEED(d, 34, e); __inxpect_x_[[X4]] = 0; }{{$}}

// The exit guards of cases() end the group only when the statement is
// left early (the helpers come at the end of the file).
// CHECK: {{^}}static __inline__ __attribute__((__always_inline__)) void __inxpect_leave_[[X1]](__inxpect_run_t *g) { if (*g) INXPECT_SECTION_END{{(_LOOP)?}}(cases_L[[#B+8]], [[C2]], *g); }{{$}}

// SITES: site=start name=f_L[[#F:]] slot={{[0-9]+}} file={{[^ ]*}}basic-blocks.c line=
// SITES-DAG: site=start name=f_L[[#F+3]] slot={{[0-9]+}} parent=f_L[[#F]] file={{[^ ]*}}basic-blocks.c line=[[#F+3]]{{ }}
// SITES-DAG: site=end name=f_L[[#F+3]] slot={{[0-9]+}} file={{[^ ]*}}basic-blocks.c line=[[#F+3]]{{ }}
// SITES-DAG: site=start name=f_L[[#F+10]] slot={{[0-9]+}} parent=f_L[[#F]] file={{[^ ]*}}basic-blocks.c line=[[#F+10]]{{ }}
// SITES-DAG: site=end name=f_L[[#F+10]] slot={{[0-9]+}} file={{[^ ]*}}basic-blocks.c line=[[#F+10]]{{ }}
// SITES-DAG: site=end name=f_L[[#F]] slot={{[0-9]+}} file={{[^ ]*}}basic-blocks.c line=[[#F+14]]{{ }}

char LICENSE[] SEC("license") = "GPL";
