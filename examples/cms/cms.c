// SPDX-License-Identifier: GPL-2.0
/* CMS: a count-min sketch of the traffic, per flow, then drop.
 *
 * Every IPv4 packet is counted under its 5-tuple in CMS_ROWS rows of
 * CMS_COLS counters (cms.h), one hash seed per row; a flow's count is the
 * minimum of its rows' counters, never below the truth.  TCP and UDP are
 * keyed by addresses, protocol and ports; other protocols, fragments after
 * the first and segments too short to hold their ports are keyed by
 * addresses and protocol alone (ports 0).  Counted packets are dropped, as
 * by a monitor at the end of a mirror port; anything not IPv4 goes to the
 * stack.  The sketch is one array map shared by all CPUs, so its counters
 * are updated atomically: a per-CPU sketch would need a sum over CPUs to
 * answer a query.
 *
 * Sections, marked for inxpect-cc -fprofile-sections=functions,blocks:
 * cms (the whole program) > parse, hash, update. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#include "cms.h"

#define IP_OFFSET 0x1fff /* fragment offset; nonzero: no L4 header here */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CMS_ROWS);
	__type(key, __u32);
	__type(value, struct cms_row);
} cms SEC(".maps");

struct flow {
	__u32 saddr;
	__u32 daddr;
	__u32 ports; /* source then destination port, as in the packet */
	__u8 proto;
};

/* Fills `f` from an IPv4 packet; returns 0 when the packet is not one. */
static __always_inline int parse(void *data, void *data_end, struct flow *f)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u32 hlen, *ports;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl < 5)
		return 0;
	f->saddr = ip->saddr;
	f->daddr = ip->daddr;
	f->proto = ip->protocol;
	/* Ports only where this packet carries them: a first (or sole)
	 * fragment of TCP or UDP, long enough to hold both. */
	if ((ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP) ||
	    (ip->frag_off & bpf_htons(IP_OFFSET)))
		return 1;
	hlen = ip->ihl * 4;
	ports = (void *)ip + hlen;
	if ((void *)(ports + 1) <= data_end)
		f->ports = *ports;
	return 1;
}

INXPECT_SECTION_NAMED(cms)
SEC("xdp")
int xdp_cms(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct flow f = {};
	__u32 col[CMS_ROWS];
	int is_ip;
	__u32 row;

	INXPECT_BLOCK(parse) {
		is_ip = parse(data, data_end, &f);
	}
	if (!is_ip)
		return XDP_PASS;
	INXPECT_BLOCK(hash) {
#pragma unroll
		for (row = 0; row < CMS_ROWS; row++)
			col[row] = cms_column(f.saddr, f.daddr, f.ports, f.proto, row);
	}
	INXPECT_BLOCK(update) {
#pragma unroll
		for (row = 0; row < CMS_ROWS; row++) {
			__u32 key = row;
			struct cms_row *r = bpf_map_lookup_elem(&cms, &key);

			if (r)
				__sync_fetch_and_add(&r->count[col[row]], 1);
		}
	}
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
