// SPDX-License-Identifier: GPL-2.0
/* What the profiler costs itself, measured by the runtime at start-up with
 * the same counters and sampling as the program being profiled (see
 * runtime/src/calibration.cpp).  Built into the runtime, not installed. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

/* An empty section: all it reports is the fixed cost inside every
 * measurement. */
SEC("xdp")
int inxpect_calib_empty(struct xdp_md *ctx)
{
	START_TRACE(calib_empty);
	END_TRACE(calib_empty);
	return XDP_PASS;
}

/* An empty section inside another: what one nested section adds to the
 * section around it. */
SEC("xdp")
int inxpect_calib_nested(struct xdp_md *ctx)
{
	START_TRACE(calib_outer);
	START_TRACE(calib_inner);
	END_TRACE(calib_inner);
	END_TRACE(calib_outer);
	return XDP_PASS;
}

/* The same two, measured through the out-of-line START/END that inxpect-cc
 * uses (their site records say call=1). */
#define START_CALL(name)                                           \
	do {                                                       \
		__INXPECT_SITE("start", name, "\0call=1");         \
		__inxpect_start_call(__inxpect_id_##name);         \
	} while (0)
#define END_CALL(name)                                             \
	do {                                                       \
		__INXPECT_SITE("end", name, "");                   \
		__inxpect_end_call(__inxpect_id_##name);           \
	} while (0)

SEC("xdp")
int inxpect_calib_empty_call(struct xdp_md *ctx)
{
	START_CALL(calib_empty_call);
	END_CALL(calib_empty_call);
	return XDP_PASS;
}

SEC("xdp")
int inxpect_calib_nested_call(struct xdp_md *ctx)
{
	START_CALL(calib_outer_call);
	START_CALL(calib_inner_call);
	END_CALL(calib_inner_call);
	END_CALL(calib_outer_call);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
