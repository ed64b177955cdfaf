// End to end with the runtime, in basic-block mode: each case group ends
// exactly once on every way out (break, continue, fallthrough into the
// next group, goto, a return inside a bounds-check macro), so each group,
// arm, loop body and run is measured exactly as often as it is entered
// (20 packets).
// REQUIRES: plugin, root, bpf
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=basic-blocks -c %s -o %t.o
// RUN: %inxpect run %t.o --gen udp4,count=20 --format json | FileCheck %s
// RUN: %inxpect-cc -O2 -g -Wall -Werror -fprofile-sections=basic-blocks -fprofile-sections-inline -c %s -o %t.inline.o
// RUN: %inxpect run %t.inline.o --gen udp4,count=20 --format json | FileCheck %s
// CHECK-DAG: "actions":{"XDP_DROP":20}

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#define NEED(p, n, end)                                 \
	do {                                            \
		if ((void *)(p) + (n) > (void *)(end))  \
			return XDP_DROP;                \
	} while (0)

// CHECK-DAG: "name":"walk_L[[@LINE+3]]"{{.*}}"measured":20,"executions":20,
INXPECT_SECTION
static __always_inline int walk(int len)
{
	int acc = len;

// The loop body: i = 0 to 5, then the goto leaves the loop.
// CHECK-DAG: "name":"walk_L[[@LINE+1]]"{{.*}}"measured":120,"executions":120,
	for (int i = 0; i < 8; i++) {
		switch (i) {
		case 0:
// CHECK-DAG: "name":"walk_L[[@LINE+1]]"{{.*}}"measured":20,"executions":20,
		case 7:
			acc += 1;
			break;
		case 1:
// Left by continue, twice.
// CHECK-DAG: "name":"walk_L[[@LINE+1]]"{{.*}}"measured":40,"executions":40,
		case 2:
			acc += 2;
			continue;
// Falls through into the next group.
// CHECK-DAG: "name":"walk_L[[@LINE+1]]"{{.*}}"measured":20,"executions":20,
		case 3:
			acc += 3;
			/* fall through */
// Entered from case 3 and for i = 4, 5; left by goto at i = 5.
// CHECK-DAG: "name":"walk_L[[@LINE+1]]"{{.*}}"measured":60,"executions":60,
		default:
			acc ^= len & 1;
			if (i == 5)
// CHECK-DAG: "name":"walk_L[[@LINE+1]]"{{.*}}"measured":20,"executions":20,
				goto out;
			break;
		}
// A run after the switch: i = 0, 3, 4.
// CHECK-DAG: "name":"walk_L[[@LINE+1]]"{{.*}}"measured":60,"executions":60,
		acc++;
	}
out:
	return acc;
}

// The loop body: i = 0, 1, 2, then NEED returns.
// CHECK-DAG: "name":"early_L[[@LINE+4]]"{{.*}}"measured":60,"executions":60,
INXPECT_SECTION
static __always_inline int early(void *d, void *e)
{
	for (int i = 0; i < 4; i++) {
		switch (i) {
// Left by the return inside NEED (the packet is shorter than 4096).
// CHECK-DAG: "name":"early_L[[@LINE+1]]"{{.*}}"measured":20,"executions":20,
		case 2:
			NEED(d, 4096, e);
			break;
// CHECK-DAG: "name":"early_L[[@LINE+1]]"{{.*}}"measured":40,"executions":40,
		default:
			break;
		}
	}
	return XDP_PASS;
}

SEC("xdp") int prog(struct xdp_md *ctx)
{
	void *d = (void *)(long)ctx->data, *e = (void *)(long)ctx->data_end;
	int n = walk(e - d);

	if (n == 12345)
		return XDP_TX;
	return early(d, e);
}

char LICENSE[] SEC("license") = "GPL";
