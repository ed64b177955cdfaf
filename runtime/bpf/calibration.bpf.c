// SPDX-License-Identifier: GPL-2.0
/* What the profiler costs itself, measured by the runtime at start-up with
 * the same counters and sampling as the program being profiled (see
 * runtime/src/calibration.cpp).  Built into the runtime, not installed. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

/*
 * For one way of measuring (START, END), programs and sections named with
 * `suffix`: an empty section, which reports only the fixed cost inside
 * every measurement, and an empty section inside another, for what one
 * nested section adds to the section around it.
 */
#define CALIBRATION(suffix, START, END)                      \
	SEC("xdp")                                           \
	int inxpect_calib_empty##suffix(struct xdp_md *ctx)  \
	{                                                    \
		START(calib_empty##suffix);                  \
		END(calib_empty##suffix);                    \
		return XDP_PASS;                             \
	}                                                    \
                                                             \
	SEC("xdp")                                           \
	int inxpect_calib_nested##suffix(struct xdp_md *ctx) \
	{                                                    \
		START(calib_outer##suffix);                  \
		START(calib_inner##suffix);                  \
		END(calib_inner##suffix);                    \
		END(calib_outer##suffix);                    \
		return XDP_PASS;                             \
	}

CALIBRATION(, START_TRACE, END_TRACE)
CALIBRATION(_call, START_TRACE_CALL, END_TRACE_CALL)

char LICENSE[] SEC("license") = "GPL";
