// SPDX-License-Identifier: GPL-2.0
/* What instrumentation must not cost (the probe issue's stack and verifier
 * budgets), built plain and by inxpect-cc at every granularity:
 *  - a program that uses 448 bytes of stack and makes a tail call must
 *    load instrumented too (the combined stack limit is 512 bytes);
 *  - a section inside a loop of 320 iterations must not more than double
 *    the instructions the verifier processes. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} next SEC(".maps");

INXPECT_SECTION_NAMED(deep)
SEC("xdp")
int xdp_deep_stack(struct xdp_md *ctx)
{
	volatile __u8 buf[448];
	int r;

	INXPECT_BLOCK(stacked) {
		for (int i = 0; i < 448; i += 8)
			buf[i] = ctx->rx_queue_index + i;
	}
	r = buf[ctx->ingress_ifindex & 255];
	bpf_tail_call(ctx, &next, 0);
	return r & 1 ? XDP_PASS : XDP_DROP;
}

/* A loop of 320 rounds over a small table, each round a few lines of
 * mixing: about 20 instructions. */
__u32 table[64];

INXPECT_SECTION_NAMED(looped)
SEC("xdp")
int xdp_loop(struct xdp_md *ctx)
{
	__u32 acc = ctx->rx_queue_index, x = ctx->ingress_ifindex;

	for (int i = 0; i < 320; i++) {
		INXPECT_BLOCK(step) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			acc = (acc ^ table[(x + i) & 63]) * 0x01000193;
		}
	}
	return acc & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
