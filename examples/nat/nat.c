// SPDX-License-Identifier: GPL-2.0
/* NAT: source address and port translation for an inside network.
 *
 * TCP and UDP over IPv4 from inside addresses (nat_inside/nat_inside_mask)
 * leave with the external address (nat_external) and a port of
 * nat_port_lo..nat_port_hi.  The first packet of a connection binds it:
 * ports are handed out in turn from a counter shared by all CPUs, and one
 * still held by another connection of the same protocol (the reverse table
 * nat_ports says) is skipped.  Later packets of the connection find their
 * binding in nat_flows.  Both tables are LRU, so idle connections make room
 * for new ones.  The IPv4 and TCP/UDP checksums are updated incrementally
 * (RFC 1624), the MAC addresses swapped and the packet sent back out
 * (XDP_TX).  Everything else goes to the stack: other protocols, outside
 * sources, fragments after the first (they carry no ports), and connections
 * for which no port was free.
 *
 * The settings are .rodata constants a loader may set before loading.
 *
 * Sections, marked for inxpect-cc -fprofile-sections=functions,blocks:
 * nat (the whole program) > parse, lookup, bind, rewrite. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#include "nat.h"

#define IP_OFFSET 0x1fff /* fragment offset; nonzero: no L4 header here */
#define NAT_PORT_TRIES 8 /* ports tried for one new connection */

const volatile __u32 nat_external = bpf_htonl(NAT_DEFAULT_EXTERNAL);
const volatile __u32 nat_inside = bpf_htonl(NAT_DEFAULT_INSIDE);
const volatile __u32 nat_inside_mask = bpf_htonl(NAT_DEFAULT_INSIDE_MASK);
const volatile __u16 nat_port_lo = NAT_DEFAULT_PORT_LO; /* host order */
const volatile __u16 nat_port_hi = NAT_DEFAULT_PORT_HI;

/* The next port to try, as an offset into the range.  Under a lock, as
 * BPF's fetching atomics need a newer -mcpu than the examples build for. */
struct port_cursor {
	struct bpf_spin_lock lock;
	__u32 next;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct port_cursor);
} nat_cursor SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NAT_MAX_FLOWS);
	__type(key, struct nat_flow);
	__type(value, struct nat_binding);
} nat_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NAT_MAX_FLOWS);
	__type(key, struct nat_port);
	__type(value, struct nat_flow);
} nat_ports SEC(".maps");

/* The headers the rewrite touches. */
struct packet {
	struct ethhdr *eth;
	struct iphdr *ip;
	__u16 *ports; /* source, destination */
	__u16 *check; /* TCP or UDP checksum */
};

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), for a 16-bit and a 32-bit field;
 * one's complement sums do not depend on byte order. */
static __always_inline void csum_replace2(__u16 *check, __u16 from, __u16 to)
{
	*check = csum_fold((__u16) ~*check + (__u16)~from + to);
}

static __always_inline void csum_replace4(__u16 *check, __u32 from, __u32 to)
{
	__u32 sum = (__u16) ~*check;

	sum += (__u16)~from + (__u16) ~(from >> 16);
	sum += (to & 0xffff) + (to >> 16);
	*check = csum_fold(sum);
}

/* Fills `p` and `f` from an inside TCP or UDP packet; 0 for any other. */
static __always_inline int parse(void *data, void *data_end, struct packet *p, struct nat_flow *f)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	void *l4;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl < 5)
		return 0;
	if ((ip->saddr & nat_inside_mask) != nat_inside || ip->frag_off & bpf_htons(IP_OFFSET))
		return 0;
	l4 = (void *)ip + ip->ihl * 4;
	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *th = l4;

		if ((void *)(th + 1) > data_end)
			return 0;
		p->check = &th->check;
	} else if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *uh = l4;

		if ((void *)(uh + 1) > data_end)
			return 0;
		p->check = &uh->check;
	} else {
		return 0;
	}
	p->eth = eth;
	p->ip = ip;
	p->ports = l4;
	f->saddr = ip->saddr;
	f->daddr = ip->daddr;
	f->sport = p->ports[0];
	f->dport = p->ports[1];
	f->proto = ip->protocol;
	return 1;
}

/* Binds a new connection to a free external port; NULL if none was. */
static __always_inline struct nat_binding *nat_bind(const struct nat_flow *f)
{
	struct nat_binding b = { .addr = nat_external };
	struct nat_port port = { .proto = f->proto };
	__u32 range = nat_port_hi - nat_port_lo + 1;
	struct port_cursor *cur;
	__u32 key = 0;
	int i;

	cur = bpf_map_lookup_elem(&nat_cursor, &key);
	if (!cur)
		return NULL;
	for (i = 0; i < NAT_PORT_TRIES; i++) {
		__u32 n;

		bpf_spin_lock(&cur->lock);
		n = cur->next++;
		bpf_spin_unlock(&cur->lock);
		port.port = bpf_htons(nat_port_lo + n % range);
		if (!bpf_map_update_elem(&nat_ports, &port, f, BPF_NOEXIST))
			break;
	}
	if (i == NAT_PORT_TRIES)
		return NULL;
	b.port = port.port;
	/* Another CPU may have bound the same connection meanwhile: its
	 * binding stands, and the port taken here goes back. */
	if (bpf_map_update_elem(&nat_flows, f, &b, BPF_NOEXIST))
		bpf_map_delete_elem(&nat_ports, &port);
	return bpf_map_lookup_elem(&nat_flows, f);
}

static __always_inline void rewrite(struct packet *p, const struct nat_binding *b)
{
	__u8 mac[ETH_ALEN];

	csum_replace4(&p->ip->check, p->ip->saddr, b->addr);
	/* A UDP checksum of 0 means none was sent; a computed 0 is sent as
	 * 0xffff (RFC 768). */
	if (p->ip->protocol == IPPROTO_TCP || *p->check) {
		csum_replace4(p->check, p->ip->saddr, b->addr);
		csum_replace2(p->check, p->ports[0], b->port);
		if (p->ip->protocol == IPPROTO_UDP && !*p->check)
			*p->check = 0xffff;
	}
	p->ip->saddr = b->addr;
	p->ports[0] = b->port;
	__builtin_memcpy(mac, p->eth->h_dest, ETH_ALEN);
	__builtin_memcpy(p->eth->h_dest, p->eth->h_source, ETH_ALEN);
	__builtin_memcpy(p->eth->h_source, mac, ETH_ALEN);
}

INXPECT_SECTION_NAMED(nat)
SEC("xdp")
int xdp_nat(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct nat_binding *b = NULL;
	struct nat_flow f = {};
	struct packet p;
	int inside;

	INXPECT_BLOCK(parse) {
		inside = parse(data, data_end, &p, &f);
	}
	if (!inside)
		return XDP_PASS;
	INXPECT_BLOCK(lookup) {
		b = bpf_map_lookup_elem(&nat_flows, &f);
	}
	if (!b) {
		INXPECT_BLOCK(bind) {
			b = nat_bind(&f);
		}
	}
	if (!b)
		return XDP_PASS;
	INXPECT_BLOCK(rewrite) {
		rewrite(&p, b);
	}
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
