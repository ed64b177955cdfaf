// SPDX-License-Identifier: GPL-2.0
/* Test programs for the tracing library: nesting, a section entered from
 * several places, many sections, several programs
 * in one object.  Built instrumented and bare (INXPECT_NO_TRACE). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

__u64 sink;

SEC("xdp")
int xdp_nested(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	START_TRACE(outer);
	START_TRACE(inner_a);
	sink += len * 3;
	END_TRACE(inner_a);
	START_TRACE(inner_b);
	sink ^= len;
	END_TRACE(inner_b);
	END_TRACE(outer);
	return XDP_PASS;
}

SEC("xdp")
int xdp_branches(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	if (len > 100) {
		START_TRACE(shared);
		sink += len;
		END_TRACE(shared);
		return XDP_DROP;
	}
	START_TRACE(shared);
	sink -= len;
	END_TRACE(shared);
	return XDP_PASS;
}

#define S(n)                   \
	START_TRACE(many_##n); \
	sink += n;             \
	END_TRACE(many_##n);
#define S10(d) S(d##0) S(d##1) S(d##2) S(d##3) S(d##4) S(d##5) S(d##6) S(d##7) S(d##8) S(d##9)

SEC("xdp")
int xdp_many(struct xdp_md *ctx)
{
	S10(1) S10(2) S10(3) S10(4) S10(5) S10(6) S10(7) return XDP_PASS;
}

/* A section left open by a tail call: the next run that starts it again
 * must not pair its END with the START of the run that tail-called. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} jmp SEC(".maps");

SEC("xdp")
int xdp_tailcalled(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_tail(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	START_TRACE(before_tail);
	sink += len;
	if (len > 100)
		bpf_tail_call(ctx, &jmp, 0);
	END_TRACE(before_tail);
	return XDP_DROP;
}

/* A section left by an early return, and an END placed so that some runs
 * reach it while its START ran only in an earlier run. */
SEC("xdp")
int xdp_early(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	START_TRACE(early);
	if (len > 100)
		return XDP_DROP;
	sink += len;
	END_TRACE(early);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
