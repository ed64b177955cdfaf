// Function granularity: annotated functions only, unless scope=all.  The
// rewritten source contains these comments too, so code checks are anchored
// with {{^}} and never match a comment line.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections --emit-instrumented=%t.c -c %s -o %t.o
// RUN: FileCheck %s < %t.c
// RUN: FileCheck %s --check-prefix=END < %t.c
// RUN: llvm-objcopy -O binary --only-section=.inxpect.sites %t.o %t.sites
// RUN: tr '\0' ' ' < %t.sites | FileCheck %s --check-prefix=SITES
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=functions -fprofile-sections-scope=all --emit-instrumented=%t.all.c -c %s -o %t.all.o
// RUN: FileCheck %s --check-prefix=ALL < %t.all.c
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections -fprofile-sections-inline --emit-instrumented=%t.inl.c -c %s -o %t.inl.o
// RUN: FileCheck %s --check-prefix=INLINE < %t.inl.c

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

// CHECK: {{^}}#include <inxpect/inxpect.h>
// CHECK: {{^}}#line 1 "{{.*}}functions.c"

// CHECK-LABEL: {{^}}static __always_inline int parse(void *d, void *e)
// CHECK-NEXT: {{^}}{ START_TRACE_CALL(parse); int __inxpect_g_[[P:[0-9]+]] __attribute__((cleanup(__inxpect_end_[[P]]), unused)) = 0;{{$}}
// CHECK-NEXT: {{^}}	if (d + 14 > e)
// -fprofile-sections-inline: the macros' code in place, no call=1.
// INLINE-LABEL: {{^}}static __always_inline int parse(void *d, void *e)
// INLINE-NEXT: {{^}}{ START_TRACE(parse); int __inxpect_g_[[P:[0-9]+]] __attribute__((cleanup(__inxpect_end_[[P]]), unused)) = 0;{{$}}
// INLINE: {{^}}static __always_inline void __inxpect_end_{{[0-9]+}}(int *g) { END_TRACE(parse); }
// SITES-DAG: site=start name=parse file={{[^ ]*}}functions.c line=[[@LINE+4]]{{ }}
// SITES-DAG: site=end name=parse file={{[^ ]*}}functions.c line=[[@LINE+7]]{{ }}
INXPECT_SECTION
static __always_inline int parse(void *d, void *e)
{
	if (d + 14 > e)
		return XDP_DROP;
	return XDP_PASS;
}
// END: {{^}}#line [[@LINE-1]] "{{.*}}functions.c"
// END-NEXT: {{^}}static __always_inline void __inxpect_end_{{[0-9]+}}(int *g) { END_TRACE_CALL(parse); }

// Not annotated: left alone, unless the scope is all.
// CHECK-LABEL: {{^}}static __always_inline int helper(int x)
// CHECK-NEXT: {{^}}{{{$}}
// ALL-LABEL: {{^}}static __always_inline int helper(int x)
// ALL-NEXT: {{^}}{ START_TRACE_CALL(helper);
static __always_inline int helper(int x)
{
	return x + 1;
}

// CHECK-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// CHECK-NEXT: {{^}}{ START_TRACE_CALL(xdp_main);
// SITES-DAG: site=start name=xdp_main file={{[^ ]*}}functions.c line=[[@LINE+3]]{{ }}
INXPECT_SECTION_NAMED(xdp_main)
SEC("xdp") int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;

	return parse(d, e) + helper(0) - 1;
}
// END: {{^}}#line [[@LINE-1]] "{{.*}}functions.c"
// END-NEXT: {{^}}static __always_inline void __inxpect_end_{{[0-9]+}}(int *g) { END_TRACE_CALL(xdp_main); }

char LICENSE[] SEC("license") = "GPL";
