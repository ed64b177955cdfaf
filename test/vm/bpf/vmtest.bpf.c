// SPDX-License-Identifier: GPL-2.0
/*
 * The programs the VM tests run with BPF_PROG_TEST_RUN.  GPL because the
 * verifier lets only GPL-compatible programs call kfuncs.
 *
 * Two kinds of sections: hand-written START_TRACE/END_TRACE (drop_traced,
 * empty_traced, tc_traced, hand_nested), which the module keeps through
 * inxpect_kf_hstart/_hend, and the instrumenter's macros written out here
 * as inxpect-cc would insert them (kf_*), which it keeps through
 * inxpect_kf_start/_end.  The macros' slots are the numbers below; the
 * hand-written ones come after them (__INXPECT_SLOT_BASE).  The kf_bad_*
 * programs call the kfuncs directly, in orders no macro produces.
 */
#define __INXPECT_SLOT_BASE 16
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

__u64 sink;

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

/* Drop as inxpect-cc instruments examples/drop: the run is the section. */
SEC("xdp")
int drop_kf(struct xdp_md *ctx)
{
	INXPECT_RUN_BEGIN_SECTION(drop_kf, 9, "");
	INXPECT_SECTION_END(drop_kf, 9, __inxpect_run);
	return XDP_DROP;
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

/* Hand-written sections, one inside the other. */
SEC("xdp")
int hand_nested(struct xdp_md *ctx)
{
	START_TRACE(h_outer);
	sink += 5;
	START_TRACE(h_inner);
	sink ^= 3;
	END_TRACE(h_inner);
	END_TRACE(h_outer);
	return XDP_DROP;
}

/*
 * What inxpect-cc inserts for a program that is a section (k_outer) with
 * two sections in it: the run begins with k_outer, every section of a run
 * is measured or none is.
 */
SEC("xdp")
int kf_nested(struct xdp_md *ctx)
{
	INXPECT_RUN_BEGIN_SECTION(k_outer, 0, "");
	INXPECT_SECTION_START(k_a, 1, "\0parent=k_outer");
	sink += 1;
	INXPECT_SECTION_END(k_a, 1, __inxpect_run);
	INXPECT_SECTION_START(k_b, 2, "\0parent=k_outer");
	sink ^= 7;
	INXPECT_SECTION_END(k_b, 2, __inxpect_run);
	INXPECT_SECTION_END(k_outer, 0, __inxpect_run);
	return XDP_DROP;
}

/* A function with a section, called from a section of a program that is
 * not one itself: the function joins the run, its path goes on from the
 * caller's. */
static __attribute__((noinline)) int kf_helper(int x)
{
	INXPECT_RUN_JOIN();
	INXPECT_SECTION_START(k_leaf, 3, "\0parent=k_call");
	x = x * 3 + 1;
	INXPECT_SECTION_END(k_leaf, 3, __inxpect_run);
	return x;
}

SEC("xdp")
int kf_call(struct xdp_md *ctx)
{
	/* Read before the first call: with ctx->ingress_ifindex read after
	 * START, clang keeps ctx + 12 across the call instead of ctx, and the
	 * verifier refuses the load ("dereference of modified ctx ptr"). */
	int x = ctx->ingress_ifindex, r;

	INXPECT_RUN_BEGIN();
	INXPECT_SECTION_START(k_call, 4, "");
	r = kf_helper(x);
	INXPECT_SECTION_END(k_call, 4, __inxpect_run);
	return r == 12345 ? XDP_PASS : XDP_DROP;
}

/*
 * Sections the tests name but never close by the macros (the kf_bad_*
 * programs call the kfuncs themselves): records, so that the runtime knows
 * their slots.
 */
#define VM_FIELDS(name, slot) "\0name=" #name "\0slot=" #slot "\0file=" __FILE__ "\0line=1"
#define VM_SITE(name, slot)                                                         \
	static const char __vm_site_##name[] __inxpect_sec(INXPECT_SITES_SECTION) = \
		"site=start" VM_FIELDS(name, slot) "\0\0site=end" VM_FIELDS(name, slot)
VM_SITE(k_loose, 5);
VM_SITE(k_refused, 6);
VM_SITE(k_deep_root, 7);
VM_SITE(k_deep, 8);
VM_SITE(k_lean_loose, 10);

/* Maps that are not a state map, passed where the kfuncs want one: the
 * wrong type, and the right value but not a power of two of elements. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct inxpect_node);
} not_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct inxpect_node);
} odd_state SEC(".maps");

/* ENDs with nothing open, a START without a run begun, and a hand-written
 * END with a token no START handed out. */
SEC("xdp")
int kf_bad_order(struct xdp_md *ctx)
{
	if (!__inxpect_kmod(inxpect_mode))
		return XDP_PASS; /* loadable without the module */
	inxpect_kf_end(&inxpect_state, 0);
	inxpect_kf_end_ev(&inxpect_state, __inxpect_kf_ctl, 0, 1);
	inxpect_kf_start(5);
	sink++;
	inxpect_kf_end(&inxpect_state, 0);
	inxpect_kf_end(&inxpect_state, 0);
	inxpect_kf_hend(&inxpect_state, __inxpect_kf_ctl, 0x12345);
	return XDP_PASS;
}

/* A run whose ENDs are given a map that is not a state map. */
SEC("xdp")
int kf_bad_map(struct xdp_md *ctx)
{
	if (!__inxpect_kmod(inxpect_mode))
		return XDP_PASS; /* loadable without the module */
	inxpect_kf_start(INXPECT_KF_ROOT | 6);
	inxpect_kf_end(&not_state, 0);
	inxpect_kf_start(INXPECT_KF_ROOT | 6);
	inxpect_kf_end(&odd_state, 0);
	inxpect_kf_start_ev(__inxpect_kf_ctl, INXPECT_KF_ROOT | 6, 1);
	inxpect_kf_end_ev(&not_state, __inxpect_kf_ctl, 0, 1);
	inxpect_kf_hend(&not_state, __inxpect_kf_ctl, 0x12345);
	return XDP_PASS;
}

/* More nested STARTs than the module's stack holds. */
#define VM_DEEP 40
SEC("xdp")
int kf_bad_deep(struct xdp_md *ctx)
{
	int i;

	if (!__inxpect_kmod(inxpect_mode))
		return XDP_PASS;
	inxpect_kf_start(INXPECT_KF_ROOT | 7);
	for (i = 0; i < VM_DEEP; i++)
		inxpect_kf_start(8);
	for (i = 0; i < VM_DEEP; i++)
		inxpect_kf_end(&inxpect_state, 0);
	inxpect_kf_end(&inxpect_state, 0);
	return XDP_PASS;
}

/* The lean probe's kfuncs called out of order and with what they must
 * refuse: an END with no START, ENDs given maps that are not state maps,
 * a slot beyond the module's (masked), the _on variants told off.  Only the
 * last pair, START then END of k_lean_loose, is a measurement. */
SEC("xdp")
int kf_lean_bad(struct xdp_md *ctx)
{
	if (inxpect_mode != INXPECT_MODE_KMOD_LEAN)
		return XDP_PASS; /* loadable without the module */
	inxpect_kf_lend(&inxpect_state, 10);
	inxpect_kf_lstart(10);
	inxpect_kf_lend(&not_state, 10);
	inxpect_kf_lstart(10);
	inxpect_kf_lend(&odd_state, 10);
	inxpect_kf_lstart(0xffffffff);
	inxpect_kf_lend(&not_state, 0xffffffff);
	inxpect_kf_lstart_on(10, 0);
	inxpect_kf_lend_on(&inxpect_state, 10, 0);
	inxpect_kf_lstart(10);
	sink++;
	inxpect_kf_lend(&inxpect_state, 10);
	inxpect_kf_lend(&inxpect_state, 10);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
