// SPDX-License-Identifier: GPL-2.0
/* Tunnel: IP-in-IP encapsulation (RFC 2003) towards per-prefix tunnel ends.
 *
 * Looks the IPv4 destination up in `tunnels` (an LPM trie filled from user
 * space, see tunnels.py), makes room with bpf_xdp_adjust_head and prepends
 * an outer IPv4 header (protocol 4) from the tunnel's end addresses, with
 * the inner TOS and don't-fragment bit, then sends the packet to the next
 * hop towards the far end (XDP_TX).  Packets it has no tunnel for (not
 * IPv4, no matching prefix), and those without headroom, go to the stack.
 *
 * Sections, marked for inxpect-cc -fprofile-sections=functions,blocks:
 * tunnel (the whole program) > parse, lookup, encap. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#include "tunnel.h"

#define IP_DF 0x4000
#define TUNNEL_TTL 64

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, TUNNEL_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct tunnel_key);
	__type(value, struct tunnel_endpoint);
} tunnels SEC(".maps");

static __always_inline __u16 ip_checksum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < sizeof(*ip) / 2; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Prepends the outer header; returns the action for the packet. */
static __always_inline int encap(struct xdp_md *ctx, const struct tunnel_endpoint *ep)
{
	struct iphdr *outer, *inner;
	struct ethhdr *eth;
	void *data_end;
	struct iphdr h;

	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return XDP_PASS; /* no headroom; the packet is as it was */
	data_end = (void *)(long)ctx->data_end;
	eth = (void *)(long)ctx->data;
	outer = (void *)(eth + 1);
	inner = outer + 1;
	if ((void *)(inner + 1) > data_end)
		return XDP_ABORTED; /* cannot happen: the packet only grew */

	__builtin_memset(&h, 0, sizeof(h));
	h.version = 4;
	h.ihl = 5;
	h.tos = inner->tos;
	h.tot_len = bpf_htons(bpf_ntohs(inner->tot_len) + sizeof(h));
	h.frag_off = inner->frag_off & bpf_htons(IP_DF);
	h.ttl = TUNNEL_TTL;
	h.protocol = IPPROTO_IPIP;
	h.saddr = ep->saddr;
	h.daddr = ep->daddr;
	h.check = ip_checksum(&h);
	*outer = h;

	__builtin_memcpy(eth->h_dest, ep->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, ep->smac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	return XDP_TX;
}

INXPECT_SECTION_NAMED(tunnel)
SEC("xdp")
int xdp_tunnel(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct tunnel_key key = { .prefixlen = 32 };
	struct tunnel_endpoint *ep = NULL;
	int action = XDP_PASS;
	int is_ip;

	INXPECT_BLOCK(parse) {
		is_ip = (void *)(ip + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP) &&
			ip->ihl >= 5;
	}
	if (!is_ip)
		return XDP_PASS;
	INXPECT_BLOCK(lookup) {
		key.daddr = ip->daddr;
		ep = bpf_map_lookup_elem(&tunnels, &key);
	}
	if (!ep)
		return XDP_PASS;
	INXPECT_BLOCK(encap) {
		action = encap(ctx, ep);
	}
	return action;
}

char LICENSE[] SEC("license") = "GPL";
