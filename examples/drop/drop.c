// SPDX-License-Identifier: GPL-2.0
/* Drop: the smallest XDP program, one section around its whole body.  Its
 * true cost is two instructions, so what the section reports here is the
 * profiler's own noise. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

INXPECT_SECTION_NAMED(drop)
SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
