// A tiny Katran-style program: its own helper header (katran/bpf_helpers.h),
// no libbpf header.  Counts packets per destination and answers ARP.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include "katran/bpf_helpers.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} per_dst SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} totals SEC(".maps");

static __inline int count(u32 dst, u32 len)
{
	u64 *v = bpf_map_lookup_elem(&per_dst, &dst);
	u64 one = 1;
	u32 k = 0;

	if (v)
		*v += 1;
	else
		bpf_map_update_elem(&per_dst, &dst, &one, BPF_ANY);
	v = bpf_map_lookup_elem(&totals, &k);
	if (!v)
		return 0;
	*v += len;
	return 1;
}

SEC("xdp")
int katran_style(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	u32 i, sum = 0;

	if ((void *)(iph + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto != __builtin_bswap16(ETH_P_IP))
		return XDP_PASS;
	for (i = 0; i < 6; i++)
		sum += eth->h_source[i];
	if (!count(iph->daddr, sum))
		return XDP_ABORTED;
	if (iph->ttl <= 1)
		return XDP_DROP;
	iph->ttl--;
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
