/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the BPF side and user space agree on: layouts of the maps, the
 * counter sources, and the site record format.  Included by BPF programs
 * (through inxpect.h) and by the runtime, so it uses only fixed-width types.
 */
#ifndef INXPECT_ABI_H
#define INXPECT_ABI_H

#include <linux/types.h>

#define INXPECT_MAX_EVENTS 4
#define INXPECT_MAX_SECTIONS 4096
#define INXPECT_NO_ID 0xffffffffu
/* Any counter read that failed.  No counter reaches 2^64-1. */
#define INXPECT_BAD_READ (~0ULL)
/* Width of a hardware counter read with rdpmc. */
#define INXPECT_PMC_BITS 48

/* Where event slot e of inxpect_ev_src[] is read from. */
enum inxpect_src {
	INXPECT_SRC_KTIME = 0,  /* bpf_ktime_get_ns() */
	INXPECT_SRC_PERF = 1,   /* bpf_perf_event_read_value() on inxpect_perfN */
	INXPECT_SRC_KF_TSC = 2, /* kmod kfunc inxpect_kf_rdtsc() */
	INXPECT_SRC_KF_PMC = 3, /* kmod kfunc inxpect_kf_rdpmc(inxpect_ev_slot[e]) */
};

/*
 * inxpect_mode: which code the macros run.  A single event read from a
 * known source gets straight-line code, the common case; anything else goes
 * through the general path, which also serves loaders that leave the mode
 * at 0.
 */
enum inxpect_mode {
	INXPECT_MODE_ANY = 0,
	INXPECT_MODE_ONE_KTIME = 1,
	INXPECT_MODE_ONE_PERF = 2,
	INXPECT_MODE_ONE_KF_TSC = 3,
	INXPECT_MODE_ONE_KF_PMC = 4,
};

/* Value of the inxpect_state per-CPU array, one per section. */
struct inxpect_sec {
	__u64 start[INXPECT_MAX_EVENTS];
	__u32 open; /* a START is waiting for its END */
	__u32 pad;
	__u64 tick;  /* sampling countdown; 64 bits, so no zero-extension on BPF v1 */
	__u64 count; /* measured executions */
	__u64 bad;   /* executions dropped because a counter read failed */
	__u64 sum[INXPECT_MAX_EVENTS];
	__u64 inv_min[INXPECT_MAX_EVENTS]; /* ~min: a zeroed state needs no first-run test */
	__u64 max[INXPECT_MAX_EVENTS];
};

/* The ".data.inxpect" map, written by user space while programs run. */
struct inxpect_ctl {
	__u32 sample_rate; /* measure 1 execution in sample_rate; 0 and 1: all */
	__u32 pad;
	__u8 disabled[INXPECT_MAX_SECTIONS];
};

/*
 * Site records live in this never-loaded ELF section: each is a run of
 * NUL-terminated "key=value" strings starting with "site=start" or
 * "site=end", followed by at least name=, file= and line=.  Readers skip
 * empty strings (padding) and unknown keys, so tools may add keys such as
 * "parent=" (the enclosing section, when the instrumenter knows it) and
 * "call=1" (the section measures through __inxpect_start_call/_end_call).
 */
#define INXPECT_SITES_SECTION ".inxpect.sites"
#define INXPECT_ID_PREFIX "__inxpect_id_"

#endif /* INXPECT_ABI_H */
