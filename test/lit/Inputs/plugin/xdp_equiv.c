/* A small router-ish XDP program with every construct the instrumenter must
 * get right.  Built plain and through inxpect-cc at every granularity, it
 * must give the same action and bytes for every packet of packets.hex. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <inxpect/annotate.h>

#define VLAN_HLEN 4

/* Returns from inside a macro. */
#define NEED(p, n, end)                                   \
	do {                                              \
		if ((void *)(p) + (n) > (void *)(end))    \
			return XDP_DROP;                  \
	} while (0)

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jmp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

static __always_inline void count(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&seen, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* Non-inlined global function: verified on its own. */
INXPECT_SECTION_NAMED(port_class)
__attribute__((noinline)) int classify_port(__u32 port)
{
	switch (port) {
	case 7:
		return 1;
	case 53:
	case 123:
		port += 1;
		/* fall through */
	case 443: {
		if (port == 443)
			return 3;
		return 2;
	}
	default:
		break;
	}
	return 0;
}

INXPECT_SECTION
static __always_inline int ipv4(struct xdp_md *ctx, struct iphdr *ip, void *end)
{
	__u32 sum;
	int score = 0;

	NEED(ip, sizeof(*ip), end);
	if (ip->ihl < 5)
		return XDP_DROP;
	NEED(ip, ip->ihl * 4, end);
	if (ip->ttl <= 1)
		return XDP_DROP;

	INXPECT_BLOCK(ttl) {
		/* RFC 1141 incremental update of the checksum. */
		sum = ip->check + bpf_htons(0x0100);
		ip->check = sum + (sum >= 0xffff);
		ip->ttl--;
	}

	if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = (void *)ip + ip->ihl * 4;
		unsigned char *p;

		NEED(udp, sizeof(*udp), end);
		score = classify_port(bpf_ntohs(udp->dest));
		if (score == 1)
			goto echo;
		p = (void *)(udp + 1);
		for (int i = 0; i < 8; i++) {
			if (p + i + 1 > (unsigned char *)end)
				break;
			if (p[i] == 0xaa)
				continue;
			INXPECT_BLOCK(payload) {
				if (p[i] == 0xff)
					return XDP_ABORTED;
				if (p[i] == 0xee)
					goto out;
				p[i] ^= 0x5a;
			}
		}
	} else if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = (void *)ip + ip->ihl * 4;

		NEED(tcp, sizeof(*tcp), end);
		if (tcp->syn && !tcp->ack)
			return XDP_DROP;
	}
out:
	return score == 3 ? XDP_DROP : XDP_PASS;
echo:
	return XDP_TX;
}

SEC("xdp")
int xdp_main(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u16 proto;
	int act;

	NEED(eth, sizeof(*eth), end);
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q)) {
		/* Pop the tag: the output packet is 4 bytes shorter. */
		unsigned char mac[12];

		NEED(eth, sizeof(*eth) + VLAN_HLEN, end);
		__builtin_memcpy(mac, eth, 12);
		if (bpf_xdp_adjust_head(ctx, VLAN_HLEN))
			return XDP_ABORTED;
		data = (void *)(long)ctx->data;
		end = (void *)(long)ctx->data_end;
		eth = data;
		NEED(eth, sizeof(*eth), end);
		__builtin_memcpy(eth, mac, 12);
		proto = eth->h_proto;
	}

	switch (bpf_ntohs(proto)) {
	case ETH_P_IP:
		count(0);
		act = ipv4(ctx, (void *)(eth + 1), end);
		break;
	case ETH_P_IPV6: {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		count(1);
		NEED(ip6, sizeof(*ip6), end);
		if (ip6->hop_limit == 0)
			return XDP_DROP;
		ip6->hop_limit--;
		act = XDP_PASS;
		break;
	}
	case ETH_P_ARP:
		/* Handled by another program; falls back here if it is absent. */
		bpf_tail_call(ctx, &jmp, 1);
		act = XDP_PASS;
		break;
	default:
		return XDP_PASS;
	}

	if (act == XDP_TX) {
		unsigned char tmp[ETH_ALEN];

		data = (void *)(long)ctx->data;
		end = (void *)(long)ctx->data_end;
		eth = data;
		NEED(eth, sizeof(*eth), end);
		__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
		__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
		__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
	}
	return act;
}

/* Tail-call target (slot 1 of jmp): rewrites the ARP opcode. */
INXPECT_SECTION
SEC("xdp")
int xdp_arp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	unsigned char *p = data;

	NEED(p, 22, end);
	if (p[21] == 1) {
		p[21] = 2;
		return XDP_TX;
	}
	return XDP_DROP;
}

/* A third program, without annotations. */
SEC("xdp")
int xdp_len(struct xdp_md *ctx)
{
	int len = ctx->data_end - ctx->data;

	if (len < 60)
		return XDP_DROP;
	if (len > 1000) {
		return XDP_ABORTED;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
