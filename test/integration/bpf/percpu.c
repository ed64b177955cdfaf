// SPDX-License-Identifier: GPL-2.0
/* Per-CPU maps filled with --map: the kernel reads one value per possible
 * CPU, each in a slot of value_size rounded up to 8.  The program drops a
 * packet only when this CPU's copy of the value is the one the map file
 * holds, so a CPU that got something else answers XDP_PASS. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct verdict {
	__u32 a, b, c; /* 12 bytes: a 16-byte slot per CPU */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct verdict);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} flags SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

SEC("xdp")
int xdp_percpu(struct xdp_md *ctx)
{
	__u32 zero = 0, seven = 7;
	struct verdict *v = bpf_map_lookup_elem(&verdicts, &zero);
	__u64 *f = bpf_map_lookup_elem(&flags, &seven);

	if (v && v->a == 0x11223344 && v->b == 0x55667788 && v->c == 0x99aabbcc && f &&
	    *f == 0x0102030405060708ULL)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
