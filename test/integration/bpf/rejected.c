// SPDX-License-Identifier: GPL-2.0
/* Reads the packet without a bounds check: the verifier must refuse it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

SEC("xdp")
int xdp_rejected(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	int action;

	START_TRACE(body);
	action = data[20] == 7 ? XDP_DROP : XDP_PASS;
	END_TRACE(body);
	return action;
}

char LICENSE[] SEC("license") = "GPL";
