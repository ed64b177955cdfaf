// SPDX-License-Identifier: GPL-2.0
/* Drop: the smallest XDP program, one section around its whole body.  Its
 * true cost is two instructions, so what a section reports here is the
 * profiler's own noise. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	int action;

	START_TRACE(drop);
	action = XDP_DROP;
	END_TRACE(drop);
	return action;
}

char LICENSE[] SEC("license") = "GPL";
