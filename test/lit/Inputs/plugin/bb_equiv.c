/* Every form basic-block mode instruments, driven by the packet's bytes and
 * leaving its results in them: built plain and in basic-block mode (the
 * equivalence and runtime-count tests), it must give the same action and
 * bytes for every packet.  Kernel style: unbraced arms, else-if ladders,
 * switch with fallthrough, bounds checks that return from a macro, a
 * bpf_spin_lock region, an asm goto.  Every loop has a bound the verifier
 * sees: a section in a loop body keeps the compiler from folding the loop
 * away, so the verifier walks it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#define NEED(p, n, end)                                   \
	do {                                              \
		if ((void *)(p) + (n) > (void *)(end))    \
			return XDP_DROP;                  \
	} while (0)
#define DROP return XDP_DROP

struct val {
	struct bpf_spin_lock lock;
	__u32 n;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} state SEC(".maps");

static __always_inline int ladder(int a, int b)
{
	int r = 0, n = 0;

	if (a > 200)
		if (b > 100)
			r = 1;
		else
			r = 2;
	else if (a > 100)
		r = 3;
	else if (a > 50) {
		r = 4;
	} else
		r = 5;
	while (n < 6)
		n += 1 + (b & 1);
	do
		r += (b & 3) + 1;
	while (r < 8);
	for (int i = 0; i < 6; i++) {
		if (i == a % 5)
			continue;
		r += i;
		if (r > 40)
			break;
	}
	return r + n;
}

static __always_inline int cases(unsigned char *p, void *end)
{
	int r = 0;

	for (int i = 0; i < 4; i++) {
		NEED(p, 40 + i, end);
		switch (p[34 + i] & 15) {
		case 0:
		case 1:
			r += 1;
			break;
		default:
			r += 2;
			if (r > 30)
				goto out;
			/* fall through */
		case 2 ... 4:
			r *= 3;
			if (p[34 + i] == 0xff)
				return 77;
			__attribute__((fallthrough));
		case 5:
			if (p[34 + i] & 0x80)
				continue;
			r++;
			break;
		case 6: {
			int t = r;

			NEED(p, 200, end);
			r = t + 1;
			break;
		}
		case 7:
			;
		case 8:
			r = 0;
		}
		r += i;
	}
out:
	return r;
}

static __always_inline __u32 locked(struct val *v, int a)
{
	__u32 n = a > 10 ? 2 : 1;

	bpf_spin_lock(&v->lock);
	if (v->n > 1000)
		v->n = 0;
	n += v->n;
	bpf_spin_unlock(&v->lock);
	if (n > 3)
		n = 3;
	return n;
}

static __always_inline int jumpy(int a)
{
	if (a > 2) {
		asm goto("if %0 > 200 goto %l[big]" :: "r"(a) :: big);
		a++;
	}
	return a;
big:
	return 7;
}

SEC("xdp")
int xdp_bb(struct xdp_md *ctx)
{
	unsigned char *p = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 k = 0;
	struct val *v;
	int a, b;

	NEED(p, 34, end);
	a = p[22];
	b = p[23];
	if (p[12] != 8)
		DROP;
	switch (p[23]) {
	case 6:
		NEED(p, 60, end);
		p[59] ^= 1;
		break;
	case 17:
		a += ladder(a, b);
	default:
		b += cases(p, end);
	}
	v = bpf_map_lookup_elem(&state, &k);
	if (v)
		a += locked(v, a);
	a += jumpy(b);
	NEED(p, 34, end);
	p[24] = a;
	p[25] = b;
	return a & 1 ? XDP_PASS : XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
