// SPDX-License-Identifier: GPL-2.0
/* Router: IPv4 forwarding with a longest-prefix-match routing table.
 *
 * Parses Ethernet/IPv4, looks the destination up in `routes` (an LPM trie
 * filled from user space, see routes.py), rewrites the MAC addresses to the
 * next hop's, decrements the TTL with an incremental checksum update
 * (RFC 1624) and sends the packet back out (XDP_TX).  Packets it cannot
 * route (not IPv4, options, TTL about to expire, no route) go to the stack.
 *
 * Sections, marked for inxpect-cc -fprofile-sections=functions,blocks:
 * router (the whole program) > parse, lookup, rewrite. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#include "router.h"

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, ROUTER_MAX_ROUTES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct route_key);
	__type(value, struct next_hop);
} routes SEC(".maps");

static __always_inline void ttl_decrement(struct iphdr *ip)
{
	/* TTL is the high byte of the 16-bit word it shares with protocol. */
	__u32 sum = (__u16)~ip->check + (__u16)~bpf_htons(0x0100) + 0;

	sum = (sum & 0xffff) + (sum >> 16);
	ip->check = ~(__u16)(sum + (sum >> 16));
	ip->ttl--;
}

INXPECT_SECTION_NAMED(router)
SEC("xdp")
int xdp_router(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct route_key key = { .prefixlen = 32 };
	struct next_hop *hop = NULL;
	int routable;

	INXPECT_BLOCK(parse) {
		routable = (void *)(ip + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP) &&
			   ip->ihl == 5 && ip->ttl > 1;
	}
	if (routable) {
		INXPECT_BLOCK(lookup) {
			key.addr = ip->daddr;
			hop = bpf_map_lookup_elem(&routes, &key);
		}
	}
	if (!hop)
		return XDP_PASS;
	INXPECT_BLOCK(rewrite) {
		__builtin_memcpy(eth->h_dest, hop->dmac, ETH_ALEN);
		__builtin_memcpy(eth->h_source, hop->smac, ETH_ALEN);
		ttl_decrement(ip);
	}
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
