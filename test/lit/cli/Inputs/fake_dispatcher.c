// SPDX-License-Identifier: GPL-2.0
/* Named as libxdp names its dispatcher, without the dispatcher's config
 * map: a dispatcher inxpect (through libxdp) does not understand. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_dispatcher(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
