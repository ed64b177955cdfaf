// One program over each kind of helper header: libbpf's (USE_LIBBPF),
// vmlinux.h with libbpf's (USE_VMLINUX), or none at all; HAND adds the
// hand-written macros (inxpect.h included by the program, after its
// helper header, or before it with HAND_FIRST).
#if defined(HAND) && defined(HAND_FIRST)
#include <inxpect/inxpect.h>
#endif
#if defined(USE_VMLINUX)
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#define ETH_P_IP 0x0800
#elif defined(USE_LIBBPF)
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#else
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#define SEC(name) __attribute__((__section__(name), __used__))
#endif
#if defined(HAND) && !defined(HAND_FIRST)
#include <inxpect/inxpect.h>
#endif
#ifndef HAND
#define START_TRACE(name)
#define END_TRACE(name)
#endif

#if defined(USE_VMLINUX) || defined(USE_LIBBPF)
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

static __always_inline void note(__u32 len)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&seen, &k);

	if (v)
		*v += len + (bpf_ktime_get_ns() & 0);
}
#else
static __inline__ __attribute__((__always_inline__)) void note(__u32 len)
{
}
#endif

SEC("xdp")
int helpers(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	int ret = XDP_PASS;

	START_TRACE(parse);
	if ((void *)(iph + 1) > data_end) {
		ret = XDP_DROP;
	} else if (eth->h_proto == __builtin_bswap16(ETH_P_IP)) {
		note(__builtin_bswap16(iph->tot_len));
		if (iph->ttl <= 1)
			ret = XDP_DROP;
	}
	END_TRACE(parse);
	return ret;
}

char _license[] SEC("license") = "GPL";
