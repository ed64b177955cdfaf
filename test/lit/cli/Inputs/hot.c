// A program whose hot line is known: the loop on the line marked HOT looks
// a hash map up 128 times a packet (8 per iteration, so the profiler's own
// cost per iteration stays small beside it); the rest is a few
// instructions.
// Built in basic-block mode for annotate.test; with -DSLOW its "work"
// block spins four times the rounds, for diff.test (a change that the noise
// of a loaded 2-core machine cannot hide) (arithmetic only: map
// lookups cost more or less from one load to the next, as the kernel
// places the map, which would be a real difference between two runs).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#ifndef ROUNDS
#ifdef SLOW
#define ROUNDS 1600
#else
#define ROUNDS 400
#endif
#endif

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} table SEC(".maps");

// Eight lookups in straight-line code, no sections inside.
INXPECT_NO_SECTIONS
static __always_inline __u64 eight(__u32 base)
{
	__u64 sum = 0, *v;
	__u32 key;

	key = base;
	v = bpf_map_lookup_elem(&table, &key);
	sum += v ? *v : 1;
	key = base + 1;
	v = bpf_map_lookup_elem(&table, &key);
	sum += v ? *v : 2;
	key = base + 2;
	v = bpf_map_lookup_elem(&table, &key);
	sum += v ? *v : 3;
	key = base + 3;
	v = bpf_map_lookup_elem(&table, &key);
	sum += v ? *v : 4;
	key = base + 4;
	v = bpf_map_lookup_elem(&table, &key);
	sum += v ? *v : 5;
	key = base + 5;
	v = bpf_map_lookup_elem(&table, &key);
	sum += v ? *v : 6;
	key = base + 6;
	v = bpf_map_lookup_elem(&table, &key);
	sum += v ? *v : 7;
	key = base + 7;
	v = bpf_map_lookup_elem(&table, &key);
	sum += v ? *v : 8;
	return sum;
}

// A chain of multiplications, `rounds` long, no sections inside.
INXPECT_NO_SECTIONS
static __always_inline __u64 spin(__u64 x, int rounds)
{
	for (int k = 0; k < rounds; k++)
		x = (x ^ (x >> 7)) * 31 + k;
	return x;
}

INXPECT_SECTION
SEC("xdp")
int xdp_hot(struct xdp_md *ctx)
{
	__u64 sum = ctx->data_end - ctx->data;
	__u32 key = 0;

	sum = sum * 3 + 1;
	for (int k = 0; k < 16; k++) sum += eight(k * 8); // HOT
	INXPECT_BLOCK(work) {
		sum = spin(sum, ROUNDS);
	}
	if (sum == 42)
		return XDP_DROP; // NEVER
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
