// SPDX-License-Identifier: GPL-2.0
/* An object whose map inxpect_perf0 is not the perf event array inxpect.h
 * declares: a hash map with 8-byte values.  Installing a perf event fd (4
 * bytes) into it made the kernel read 8; it must be refused by name.
 * Built at build time, never committed as a binary. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} inxpect_perf0 SEC(".maps");

SEC("xdp")
int xdp_wrong(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&inxpect_perf0, &k);

	return v && *v ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
