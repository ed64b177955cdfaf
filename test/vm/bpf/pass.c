// SPDX-License-Identifier: GPL-2.0
/* One link of a libxdp chain, for the VM lab's dispatcher test: built
 * twice, with LINK=first and LINK=second.  It passes every packet, so the
 * dispatcher goes on to the next link (XDP_PASS is among libxdp's default
 * chain-call actions), and its one section counts the packets it saw. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

/* Expanded first, so the section and function take LINK's value. */
#define SECTION(link) INXPECT_SECTION_NAMED(link)
#define FUNCTION(link) FUNCTION_(link)
#define FUNCTION_(link) xdp_pass_##link

SECTION(LINK)
SEC("xdp")
int FUNCTION(LINK)(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
