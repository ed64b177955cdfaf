// SPDX-License-Identifier: GPL-2.0
/* What the profiler costs itself, measured by the runtime at start-up with
 * the same counters and sampling as the program being profiled (see
 * runtime/src/measure/calibrate.cpp).  Built into the runtime, not
 * installed.  Three ways of measuring, each an empty section (the fixed
 * cost inside every measurement) and an empty section inside another (what
 * one nested section adds to the section around it): the instrumenter's
 * macros, written as inxpect-cc writes them, the same in a program with a
 * bare copy (-fprofile-sections-bare-copy: its sections test nothing), and
 * the hand-written ones. */
#define __INXPECT_SLOT_BASE 6 /* slots 0-5: the instrumenter's sections */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

static __always_inline void end_empty(__inxpect_run_t *g)
{
	INXPECT_SECTION_END(calib_empty, 0, *g);
}

static __always_inline void end_outer(__inxpect_run_t *g)
{
	INXPECT_SECTION_END(calib_outer, 1, *g);
}

static __always_inline void end_inner(__inxpect_run_t *g)
{
	INXPECT_SECTION_END(calib_inner, 2, *g);
}

SEC("xdp")
int inxpect_calib_empty(struct xdp_md *ctx)
{
	INXPECT_RUN_BEGIN_SECTION(calib_empty, 0, "");
	INXPECT_GUARD(g0, end_empty);
	return XDP_PASS;
}

SEC("xdp")
int inxpect_calib_nested(struct xdp_md *ctx)
{
	INXPECT_RUN_BEGIN_SECTION(calib_outer, 1, "");
	INXPECT_GUARD(g1, end_outer);
	{
		INXPECT_SECTION_START(calib_inner, 2, "\0parent=calib_outer");
		INXPECT_GUARD(g2, end_inner);
	}
	return XDP_PASS;
}

static __always_inline void end_bare_empty(__inxpect_run_t *g)
{
	INXPECT_SECTION_END(calib_bare_empty, 3, *g);
}

static __always_inline void end_bare_outer(__inxpect_run_t *g)
{
	INXPECT_SECTION_END(calib_bare_outer, 4, *g);
}

static __always_inline void end_bare_inner(__inxpect_run_t *g)
{
	INXPECT_SECTION_END(calib_bare_inner, 5, *g);
}

static __always_inline int bare_pass(void)
{
	return XDP_PASS;
}

SEC("xdp")
int inxpect_calib_bare_empty(struct xdp_md *ctx)
{
	INXPECT_RUN_BEGIN_SECTION_BARE(calib_bare_empty, 3, "", bare_pass());
	INXPECT_GUARD(g0, end_bare_empty);
	return XDP_PASS;
}

SEC("xdp")
int inxpect_calib_bare_nested(struct xdp_md *ctx)
{
	INXPECT_RUN_BEGIN_SECTION_BARE(calib_bare_outer, 4, "", bare_pass());
	INXPECT_GUARD(g1, end_bare_outer);
	{
		INXPECT_SECTION_START(calib_bare_inner, 5, "\0parent=calib_bare_outer");
		INXPECT_GUARD(g2, end_bare_inner);
	}
	return XDP_PASS;
}

SEC("xdp")
int inxpect_calib_hand_empty(struct xdp_md *ctx)
{
	START_TRACE(calib_hand_empty);
	END_TRACE(calib_hand_empty);
	return XDP_PASS;
}

SEC("xdp")
int inxpect_calib_hand_nested(struct xdp_md *ctx)
{
	START_TRACE(calib_hand_outer);
	START_TRACE(calib_hand_inner);
	END_TRACE(calib_hand_inner);
	END_TRACE(calib_hand_outer);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
