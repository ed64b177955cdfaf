// Basic-block granularity: every compound statement of the functions in
// scope, named <function>_L<line>.  A switch body is not a block one can
// enter at the top (its case labels are jumped to), so it is skipped; the
// case blocks inside it are not.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=basic-blocks --emit-instrumented=%t.c -c %s -o %t.o 2>&1 | count 0
// RUN: FileCheck %s < %t.c
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=functions,basic-blocks -fprofile-sections-scope=all --emit-instrumented=%t.all.c -c %s -o %t.all.o
// RUN: FileCheck %s --check-prefix=ALL < %t.all.c

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

// CHECK-LABEL: {{^}}static __always_inline int classify(int x)
// CHECK-NEXT: {{^}}{ START_TRACE_CALL(classify_L[[@LINE+6]]);
// ALL-LABEL: {{^}}static __always_inline int classify(int x)
// ALL-NEXT: {{^}}{ START_TRACE_CALL(classify);
// ALL-NOT: classify_L[[@LINE+3]]
INXPECT_SECTION
static __always_inline int classify(int x)
{
	int r = 0;

// CHECK: {{^}}	for (int i = 0; i < 3; i++) { START_TRACE_CALL_IN(classify_L[[@LINE+2]], classify_L[[@LINE-3]]);
// ALL: {{^}}	for (int i = 0; i < 3; i++) { START_TRACE_CALL_IN(classify_L[[@LINE+1]], classify);
	for (int i = 0; i < 3; i++) {
		if (i == x) { r++; continue; } else { r--; }
	}
// CHECK: {{^}}		if (i == x) { START_TRACE_CALL_IN(classify_L[[@LINE-2]], classify_L[[@LINE-3]]); {{.*}} r++; continue; }
// CHECK-SAME: else { START_TRACE_CALL_IN(classify_L[[@LINE-3]]_C39, classify_L[[@LINE-4]]); {{.*}} r--; }
// CHECK: {{^}}	switch (x) {{{$}}
	switch (x) {
	case 1: { r += 1; }
	case 2:
		r += 2;
		break;
	default: { r = 0; break; }
	}
// CHECK-NEXT: {{^}}	case 1: { START_TRACE_CALL_IN(classify_L[[@LINE-6]],
// CHECK: {{^}}	default: { START_TRACE_CALL_IN(classify_L[[@LINE-3]],
	return r;
}

// Not annotated: only with scope=all.
// CHECK-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// CHECK-NEXT: {{^}}{{{$}}
// ALL-LABEL: {{^}}SEC("xdp") int prog(struct xdp_md *ctx)
// ALL-NEXT: {{^}}{ START_TRACE_CALL(prog);
SEC("xdp") int prog(struct xdp_md *ctx)
{
	return classify(ctx->ingress_ifindex) > 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
