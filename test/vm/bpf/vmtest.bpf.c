// SPDX-License-Identifier: GPL-2.0
/*
 * The programs the VM tests run with BPF_PROG_TEST_RUN.  GPL because the
 * verifier lets only GPL-compatible programs call kfuncs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

/* Baseline for the overhead figures: Drop without InXpect. */
SEC("xdp")
int drop_plain(struct xdp_md *ctx)
{
	return XDP_DROP;
}

/* Drop with its whole body in one section. */
SEC("xdp")
int drop_traced(struct xdp_md *ctx)
{
	int act;

	START_TRACE(body);
	act = XDP_DROP;
	END_TRACE(body);
	return act;
}

/* Nothing inside: the value is the profiler's own fixed cost. */
SEC("xdp")
int empty_traced(struct xdp_md *ctx)
{
	START_TRACE(empty);
	END_TRACE(empty);
	return XDP_PASS;
}

/* The kfuncs are registered for TC too. */
SEC("tc")
int tc_traced(struct __sk_buff *skb)
{
	START_TRACE(tc_body);
	END_TRACE(tc_body);
	return 0; /* TC_ACT_OK */
}

char LICENSE[] SEC("license") = "GPL";
