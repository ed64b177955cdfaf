// Function granularity: annotated functions only, unless scope=all.  The
// rewritten source contains these comments too, so code checks are anchored
// with {{^}} and never match a comment line.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections --emit-instrumented=%t.c -c %s -o %t.o
// RUN: FileCheck %s < %t.c
// RUN: FileCheck %s --check-prefix=END < %t.c
// RUN: llvm-objcopy -O binary --only-section=.data.inxpect %t.o %t.sites
// RUN: tr '\0' ' ' < %t.sites | FileCheck %s --check-prefix=SITES
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=functions -fprofile-sections-scope=all --emit-instrumented=%t.all.c -c %s -o %t.all.o
// RUN: FileCheck %s --check-prefix=ALL < %t.all.c
// -fprofile-sections-inline is accepted and changes nothing (v2 has one form).
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections -fprofile-sections-inline --emit-instrumented=%t.inl.c -c %s -o %t.inl.o
// RUN: diff %t.c %t.inl.c
// RUN: llvm-objcopy -O binary --only-section=.data.inxpect %t.inl.o %t.inl.sites
// RUN: cmp %t.sites %t.inl.sites

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

// CHECK: {{^}}#define INXPECT_MAX_SLOTS 1024{{$}}
// CHECK-NEXT: {{^}}#define INXPECT_NODES 256{{$}}
// CHECK-NEXT: {{^}}#define __INXPECT_SLOT_BASE 2{{$}}
// CHECK-NEXT: {{^}}#include <inxpect/inxpect.h>
// CHECK: {{^}}#line 1 "{{.*}}functions.c"

// CHECK-LABEL: {{^}}static __always_inline int parse(void *d, void *e)
// A function that is not a program joins the run its caller began.
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START(parse, 0, ""); INXPECT_GUARD(__inxpect_g_[[P:[0-9]+]], __inxpect_end_[[P]]);{{$}}
// CHECK-NEXT: {{^}}	if (d + 14 > e)
// SITES-DAG: site=start name=parse slot=0 file={{[^ ]*}}functions.c line=[[@LINE+4]]{{ }}
// SITES-DAG: site=end name=parse slot=0 file={{[^ ]*}}functions.c line=[[@LINE+7]]{{ }}
INXPECT_SECTION
static __always_inline int parse(void *d, void *e)
{
	if (d + 14 > e)
		return XDP_DROP;
	return XDP_PASS;
}
// END: {{^}}#line [[@LINE-1]] "{{.*}}functions.c"
// END-NEXT: {{^}}static __inline__ __attribute__((__always_inline__)) void __inxpect_end_{{[0-9]+}}(__inxpect_run_t *g) { INXPECT_SECTION_END(parse, 0, *g); }{{$}}

// Not annotated: left alone, unless the scope is all.
// CHECK-LABEL: {{^}}static __always_inline int helper(int x)
// CHECK-NEXT: {{^}}{{{$}}
// ALL-LABEL: {{^}}static __always_inline int helper(int x)
// ALL-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START(helper, {{[0-9]+}}, "");
static __always_inline int helper(int x)
{
	return x + 1;
}

// CHECK-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// The program begins the run, and the run is its section.
// CHECK-NEXT: {{^}}{ INXPECT_RUN_BEGIN_SECTION(xdp_main, 1, ""); INXPECT_GUARD(__inxpect_g_[[M:[0-9]+]], __inxpect_end_[[M]]);{{$}}
// SITES-DAG: site=start name=xdp_main slot=1 file={{[^ ]*}}functions.c line=[[@LINE+3]]{{ }}
INXPECT_SECTION_NAMED(xdp_main)
SEC("xdp") int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;

	return parse(d, e) + helper(0) - 1;
}
// END: {{^}}#line [[@LINE-1]] "{{.*}}functions.c"
// END-NEXT: {{^}}static __inline__ __attribute__((__always_inline__)) void __inxpect_end_{{[0-9]+}}(__inxpect_run_t *g) { INXPECT_SECTION_END(xdp_main, 1, *g); }{{$}}

char LICENSE[] SEC("license") = "GPL";
