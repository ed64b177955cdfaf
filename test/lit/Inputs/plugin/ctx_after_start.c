/* A context field read inside a block, after the block's START: for
 * ctx-after-start.test. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

static __attribute__((noinline)) int helper(int x)
{
	return x * 3 + 1;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	int r;

	INXPECT_BLOCK(b) {
		r = helper(ctx->ingress_ifindex);
	}
	return r == 12345 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
