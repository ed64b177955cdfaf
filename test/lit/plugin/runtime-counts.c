// End to end with the runtime: every exit of a section (continue, goto
// out of the block, return from inside a macro) ends it exactly once, so
// each section is measured exactly as often as it is entered.
// REQUIRES: plugin, root, bpf
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=functions,blocks -c %s -o %t.o
// RUN: %inxpect run %t.o --gen udp4,count=20 --format json | FileCheck %s
// CHECK-DAG: "name":"walk"{{.*}}"measured":20,"executions":20,
// CHECK-DAG: "name":"body"{{.*}}"measured":140,"executions":140,
// CHECK-DAG: "name":"bounds"{{.*}}"measured":20,"executions":20,
// CHECK-DAG: "actions":{"XDP_DROP":20}

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#define NEED(p, n, end)                                 \
	do {                                            \
		if ((void *)(p) + (n) > (void *)(end))  \
			return XDP_DROP;                \
	} while (0)

INXPECT_SECTION
static __always_inline int walk(void *d, void *e)
{
	int n = 0;

	for (int i = 0; i < 8; i++) {
		INXPECT_BLOCK(body) {
			if (i == 1)
				continue;
			if (i == 6)
				goto out;
			n++;
		}
	}
out:
	INXPECT_BLOCK(bounds) {
		NEED(d, 4096 + n, e);
	}
	return XDP_PASS;
}

SEC("xdp") int prog(struct xdp_md *ctx)
{
	return walk((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}

char LICENSE[] SEC("license") = "GPL";
