// SPDX-License-Identifier: GPL-2.0
/* Spin: one section whose cost is set by the packet, for the histogram
 * tests (guest-tests/35-hist.sh).  The section spins n times, n the UDP
 * destination port, so under icount it costs exactly a + b*n instructions
 * for two constants the test measures; a packet list with known ports is
 * then a known distribution of costs.  Every packet takes the same path
 * but for the loop, so a and b do not depend on n. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

/* The verifier walks every iteration; this keeps that walk short. */
#define SPIN_MAX 4096

INXPECT_SECTION_NAMED(spin)
SEC("xdp")
int xdp_spin(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct udphdr *udp = data + sizeof(struct ethhdr) + sizeof(struct iphdr);
	__u32 i, n;

	if ((void *)(udp + 1) > data_end)
		return XDP_ABORTED;
	n = bpf_ntohs(udp->dest);
	if (n > SPIN_MAX)
		return XDP_ABORTED;
	/* The empty asm hides i from the optimiser, which would otherwise
	 * drop the loop or fold it into one step. */
	for (i = 0; i < n; i++)
		__asm__ __volatile__("" : "+r"(i));
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
