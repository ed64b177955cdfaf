/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the BPF side, the kernel module and user space agree on: the layouts
 * of the maps, the counter sources, the path keys, the histogram buckets
 * and the site record format.  Included by BPF programs (through
 * inxpect.h), by inxpect.ko and by the runtime, so it uses only fixed-width
 * types and defines nothing but types, constants and one pure function.
 *
 * The model.  Every START site owns a slot, a small integer fixed when the
 * object is compiled (so any loader keeps it).  A measurement is kept per
 * call path: the path of an execution is the chain of sections open on its
 * CPU when it started, and is named by a 64-bit key,
 *
 *   key(top level) = slot + 1,   key(child) = key(parent) * INXPECT_PATH_MUL + slot + 1,
 *
 * so each CPU finds a path's accumulator by hashing its key, with no table
 * lookup per level, and user space rebuilds the tree from (key, parent).
 */
#ifndef INXPECT_ABI_H
#define INXPECT_ABI_H

/* No includes: BPF programs built against vmlinux.h, Katran-style helper
 * headers, the kernel and C++ all include this file, and each defines the
 * __u64 family its own way (or not at all). */
typedef unsigned long long __inxpect_u64;
typedef unsigned int __inxpect_u32;
typedef unsigned char __inxpect_u8;

#define INXPECT_ABI_VERSION 2
#define INXPECT_MAX_EVENTS 4
/* Sections open at once on one CPU; a START beyond is counted, not measured. */
#define INXPECT_MAX_DEPTH 32
/* Any counter read that failed.  No counter reaches 2^64-1. */
#define INXPECT_BAD_READ (~0ULL)
/* Width of a hardware counter read with rdpmc. */
#define INXPECT_PMC_BITS 48
#define INXPECT_PATH_MUL 0x9E3779B97F4A7C15ULL

/* Where event e is read from (inxpect_ev_src[e] in .rodata, ctl.src[e]). */
enum inxpect_src {
	INXPECT_SRC_KTIME = 0,  /* bpf_ktime_get_ns() */
	INXPECT_SRC_PERF = 1,   /* bpf_perf_event_read_value() on inxpect_perfN */
	INXPECT_SRC_KF_TSC = 2, /* inxpect.ko: rdtsc */
	INXPECT_SRC_KF_PMC = 3, /* inxpect.ko: rdpmc of counter slot ctl.pmc_slot[e] */
};

/*
 * inxpect_mode (.rodata, set by the loader before verification; the
 * verifier removes the other paths).  0 is what any other loader leaves:
 * one ktime event, measured by the BPF code itself.
 */
enum inxpect_mode {
	INXPECT_MODE_KTIME = 0,    /* one event, bpf_ktime_get_ns() */
	INXPECT_MODE_PERF = 1,     /* one event, the perf helper */
	INXPECT_MODE_ANY = 2,      /* up to 4 events, sources per inxpect_ev_src[] */
	INXPECT_MODE_KMOD = 3,     /* inxpect.ko's kfuncs keep the sections, reading ctl.src[] */
	INXPECT_MODE_KMOD_TSC = 4, /* the same with one event, the TSC */
	/* The TSC, count, sum, min and max per section and nothing else: no
	 * call paths (every section at top level), no histograms, no depth
	 * stack.  The cheapest; the loader chooses it when both are off. */
	INXPECT_MODE_KMOD_LEAN = 5,
};

/* Histogram of event 0 per path: log2 buckets split in 4, so a bucket is
 * at most a quarter of its lower bound wide (error under 12.5% from its
 * middle).  Values of 2^40 and more land in the last bucket. */
#define INXPECT_HIST_SUB_BITS 2
#define INXPECT_HIST_BUCKETS 160

/* The bucket of v, given e = floor(log2(v)) for v >= 4; the BPF side and
 * the module each find e their own way. */
static __inline__ __attribute__((__always_inline__)) __inxpect_u32
inxpect_hist_bucket(__inxpect_u64 v, __inxpect_u32 e)
{
	__inxpect_u32 b;

	if (v < 4)
		return (__inxpect_u32)v;
	b = 4 * (e - 1) + (__inxpect_u32)((v >> (e - 2)) & 3);
	return b < INXPECT_HIST_BUCKETS ? b : INXPECT_HIST_BUCKETS - 1;
}

/* The delta of a counter read with rdpmc between two reads, in *dl; false
 * when it is no measurement: a read failed, or the delta is 2^46 or more,
 * which no section runs for (2^46 cycles are hours) but a counter that
 * perf reloaded on overflow between the reads shows (see docs/kmod.md).
 * The module counts such measurements as bad. */
static __inline__ __attribute__((__always_inline__)) int inxpect_pmc_delta(__inxpect_u64 now,
									   __inxpect_u64 start,
									   __inxpect_u64 *dl)
{
	*dl = (now - start) & ((1ULL << INXPECT_PMC_BITS) - 1);
	return now != INXPECT_BAD_READ && start != INXPECT_BAD_READ &&
	       !(*dl >> (INXPECT_PMC_BITS - 2));
}

/*
 * The value of the per-CPU array inxpect_state: element 0 is the CPU's
 * header, every other element the accumulator of one call path, at index
 * key & (elements - 1) when that is free, else at one of a few others that
 * the writer chooses; readers take every element whose key is not 0.  The
 * map has a power-of-two number of elements.
 */

struct inxpect_node {
	__inxpect_u64 key;    /* path key; 0: free (element 0: the header) */
	__inxpect_u64 parent; /* key of the enclosing path, 0 at top level */
	__inxpect_u32 slot;   /* the START site */
	__inxpect_u32 depth;  /* 1 at top level */
	__inxpect_u64 count;  /* measured executions */
	__inxpect_u64 bad;    /* executions dropped because a counter read failed */
	__inxpect_u64 sum[INXPECT_MAX_EVENTS];
	__inxpect_u64 inv_min[INXPECT_MAX_EVENTS]; /* ~min: a zeroed node needs no first-run test */
	__inxpect_u64 max[INXPECT_MAX_EVENTS];
	__inxpect_u32 hist[INXPECT_HIST_BUCKETS]; /* event 0; wraps, readers take deltas */
};

/* Element 0, as the writers use it.  Same size as a node; unused space is
 * zero. */
struct inxpect_hdr {
	__inxpect_u64 zero;      /* key of element 0: never a path */
	__inxpect_u64 tick;      /* runs until the next measured one (sampling) */
	__inxpect_u64 rng;       /* xorshift64 state that draws the intervals */
	__inxpect_u64 overflow;  /* STARTs not measured: INXPECT_MAX_DEPTH - 1 sections open */
	__inxpect_u64 lost;      /* measurements dropped: no free element for their path */
	__inxpect_u64 unmatched; /* ENDs whose START did not run in this run */
};

/*
 * The ".data.inxpect" map: what user space changes while programs run
 * (sampling, per-section enable) and, for the module, which events to read.
 * One byte per slot follows it (1: disabled); how many is the object's slot
 * capacity, INXPECT_MAX_SLOTS when it was built: its BTF says.
 */
struct inxpect_ctl {
	__inxpect_u32 abi;         /* INXPECT_ABI_VERSION */
	__inxpect_u32 sample_rate; /* 1 run in sample_rate is measured, on average; 0 and 1: all */
	__inxpect_u32 flags;       /* INXPECT_CTL_* */
	__inxpect_u32 nr_events;   /* for the module: ctl.src[0..nr_events) */
	__inxpect_u32 src[INXPECT_MAX_EVENTS];
	__inxpect_u32 pmc_slot[INXPECT_MAX_EVENTS];
};

#define INXPECT_CTL_NO_HIST (1u << 0)  /* do not update histograms */
#define INXPECT_CTL_NO_PATHS (1u << 1) /* every measurement counts as top level */

/* The argument of the module's START kfuncs: the slot and, on the first
 * START of a run, ROOT with the run's flags. */
#define INXPECT_KF_SLOT 0x00ffffffu
#define INXPECT_KF_NO_HIST (1u << 24)
#define INXPECT_KF_NO_PATHS (1u << 25)
#define INXPECT_KF_ROOT (1u << 31)

/*
 * Site records: each is a run of NUL-terminated "key=value" strings
 * starting with "site=start" or "site=end", followed by at least name=,
 * slot=, file= and line=.  Readers skip empty strings (padding) and unknown
 * keys, so tools may add keys such as "parent=" (the enclosing section,
 * when the instrumenter knows it), "fn=" (the enclosing function) or "col=".
 *
 * Each record is a variable of the control section, INXPECT_CTL_SECTION,
 * whose name contains INXPECT_SITE_VAR: libbpf makes that section a map
 * that every instrumented program references, so the records travel with
 * the loaded program and a program id alone finds them (the map's BTF
 * DATASEC says where each variable lies).  User space writes only the
 * inxpect_ctl variable of that map.  Objects built before kept the records
 * in INXPECT_SITES_SECTION, never loaded; readers still take it.
 */
#define INXPECT_CTL_SECTION ".data.inxpect"
#define INXPECT_CTL_VAR "inxpect_ctl"
#define INXPECT_SITE_VAR "__inxpect_site"
#define INXPECT_SITES_SECTION ".inxpect.sites"

#endif /* INXPECT_ABI_H */
