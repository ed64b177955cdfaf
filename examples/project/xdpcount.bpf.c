// SPDX-License-Identifier: GPL-2.0
/* xdpcount: counts packets by protocol in a per-CPU array and passes every
 * one to the stack.
 *
 * Sections, for inxpect-cc (plain clang ignores the annotations): xdpcount,
 * the whole program, and classify, the parsing inside it. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#include "xdpcount.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPCOUNT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

INXPECT_SECTION_NAMED(xdpcount)
SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u32 slot = XDPCOUNT_OTHER;
	__u64 *n;

	INXPECT_BLOCK(classify) {
		if ((void *)(eth + 1) > data_end)
			slot = XDPCOUNT_OTHER;
		else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
			slot = XDPCOUNT_IPV6;
		else if (eth->h_proto != bpf_htons(ETH_P_IP) || (void *)(ip + 1) > data_end)
			slot = XDPCOUNT_OTHER;
		else if (ip->protocol == IPPROTO_UDP)
			slot = XDPCOUNT_UDP4;
		else if (ip->protocol == IPPROTO_TCP)
			slot = XDPCOUNT_TCP4;
		else
			slot = XDPCOUNT_OTHER4;
	}
	n = bpf_map_lookup_elem(&counts, &slot);
	if (n)
		*n += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
