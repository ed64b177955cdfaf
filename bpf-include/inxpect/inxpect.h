/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * InXpect section tracing for XDP programs.
 *
 *   #include <inxpect/inxpect.h>
 *   START_TRACE(parse);  ...  END_TRACE(parse);
 *
 * START reads the configured counters into per-CPU state; END reads them
 * again and adds the difference to per-CPU accumulators (count, sum, min,
 * max per event).  Everything the loader decides is a .rodata constant, so
 * the verifier removes the paths that are not used; everything user space
 * changes at run time (sampling rate, per-section enable) lives in the
 * ".data.inxpect" map and takes effect without a reload.
 *
 * Section ids are not chosen by hand: every START/END site owns a static
 * "__inxpect_id_<name>" in .rodata, and the loader writes the same id into
 * every site of one name.  Loaded by a loader that knows nothing of InXpect,
 * the ids stay INXPECT_NO_ID and the macros measure nothing.
 *
 * Every site also leaves a record in the ELF section ".inxpect.sites"
 * (never loaded) so the object describes its own sections.  See
 * runtime/src/object/site_table.cpp for the reader.
 */
#ifndef INXPECT_INXPECT_H
#define INXPECT_INXPECT_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#include "inxpect/abi.h"

/* --- loader-set constants (.rodata, frozen before verification) -------- */
const volatile __u32 inxpect_nr_events = 1;
const volatile __u32 inxpect_ev_src[INXPECT_MAX_EVENTS] = { INXPECT_SRC_KTIME };
const volatile __u32 inxpect_ev_slot[INXPECT_MAX_EVENTS];

/* --- run-time controls (mmapped by user space) ------------------------- */
struct inxpect_ctl inxpect_ctl SEC(".data.inxpect") = { .sample_rate = 1 };

/* --- per-CPU, per-section state and accumulators ----------------------- */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, INXPECT_MAX_SECTIONS); /* loader shrinks it */
	__type(key, __u32);
	__type(value, struct inxpect_sec);
} inxpect_state SEC(".maps");

/* One PERF_EVENT_ARRAY per event slot, indexed by CPU (perf backend). */
#define INXPECT_PERF_MAP(n)                                    \
	struct {                                               \
		__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);   \
		__uint(key_size, sizeof(__u32));               \
		__uint(value_size, sizeof(__u32));             \
	} inxpect_perf##n SEC(".maps")
INXPECT_PERF_MAP(0);
INXPECT_PERF_MAP(1);
INXPECT_PERF_MAP(2);
INXPECT_PERF_MAP(3);
#undef INXPECT_PERF_MAP

/* Kernel-module kfuncs (kmod/).  Weak, and reached only when the loader sets
 * a kfunc source in inxpect_ev_src, so objects load without the module. */
extern __u64 inxpect_kf_rdtsc(void) __ksym __weak;
extern __u64 inxpect_kf_rdpmc(__u32 slot) __ksym __weak;

static __always_inline __u64 __inxpect_perf_read(void *map)
{
	struct bpf_perf_event_value v;

	if (bpf_perf_event_read_value(map, BPF_F_CURRENT_CPU, &v, sizeof(v)))
		return INXPECT_BAD_READ;
	return v.counter;
}

static __always_inline __u64 __inxpect_read(__u32 e)
{
	switch (inxpect_ev_src[e]) {
	case INXPECT_SRC_KTIME:
		return bpf_ktime_get_ns();
	case INXPECT_SRC_PERF:
		switch (e) {
		case 0: return __inxpect_perf_read(&inxpect_perf0);
		case 1: return __inxpect_perf_read(&inxpect_perf1);
		case 2: return __inxpect_perf_read(&inxpect_perf2);
		default: return __inxpect_perf_read(&inxpect_perf3);
		}
	case INXPECT_SRC_KF_TSC:
		return inxpect_kf_rdtsc();
	case INXPECT_SRC_KF_PMC:
		return inxpect_kf_rdpmc(inxpect_ev_slot[e]);
	}
	return INXPECT_BAD_READ;
}

/* Counter difference; hardware counters are INXPECT_PMC_BITS wide. */
static __always_inline __u64 __inxpect_delta(__u32 e, __u64 a, __u64 b)
{
	if (inxpect_ev_src[e] == INXPECT_SRC_KF_PMC)
		return (b - a) & ((1ULL << INXPECT_PMC_BITS) - 1);
	return b - a;
}

static __always_inline void __inxpect_start(__u32 id)
{
	struct inxpect_sec *s;
	__u32 e;

	if (id >= INXPECT_MAX_SECTIONS || inxpect_ctl.disabled[id])
		return;
	s = bpf_map_lookup_elem(&inxpect_state, &id);
	if (!s)
		return;
	/* 1-in-N sampling: a per-CPU countdown, no helper call. */
	if (++s->tick < inxpect_ctl.sample_rate)
		return;
	s->tick = 0;
	s->open = 1;
	/* Read last, so that little of the section's bookkeeping is measured. */
#pragma unroll
	for (e = 0; e < INXPECT_MAX_EVENTS; e++) {
		if (e >= inxpect_nr_events)
			break;
		s->start[e] = __inxpect_read(e);
	}
}

static __always_inline void __inxpect_end(__u32 id)
{
	__u64 now[INXPECT_MAX_EVENTS];
	struct inxpect_sec *s;
	__u32 e;

	if (id >= INXPECT_MAX_SECTIONS)
		return;
	/* Check before reading: a sampled-out or unmatched END must cost no
	 * counter read.  The inlined lookup this puts inside the measurement is
	 * a few fixed instructions, which calibration removes. */
	s = bpf_map_lookup_elem(&inxpect_state, &id);
	if (!s || !s->open)
		return; /* END without START on this CPU: record nothing */
#pragma unroll
	for (e = 0; e < INXPECT_MAX_EVENTS; e++) {
		if (e >= inxpect_nr_events)
			break;
		now[e] = __inxpect_read(e);
	}
	s->open = 0;
#pragma unroll
	for (e = 0; e < INXPECT_MAX_EVENTS; e++) {
		if (e >= inxpect_nr_events)
			break;
		if (now[e] == INXPECT_BAD_READ || s->start[e] == INXPECT_BAD_READ) {
			s->bad++;
			return;
		}
	}
	s->count++;
#pragma unroll
	for (e = 0; e < INXPECT_MAX_EVENTS; e++) {
		__u64 d;

		if (e >= inxpect_nr_events)
			break;
		d = __inxpect_delta(e, s->start[e], now[e]);
		s->sum[e] += d;
		if (s->count == 1 || d < s->min[e])
			s->min[e] = d;
		if (d > s->max[e])
			s->max[e] = d;
	}
}

#define __INXPECT_STR2(x) #x
#define __INXPECT_STR(x) __INXPECT_STR2(x)

/* The site record: NUL-separated "key=value" strings, see abi.h. */
#define __INXPECT_SITE(kind, name, extra)                                   \
	static const char __inxpect_site_##name[]                           \
		__attribute__((section(INXPECT_SITES_SECTION), used)) =     \
		"site=" kind "\0name=" #name "\0file=" __FILE__             \
		"\0line=" __INXPECT_STR(__LINE__) extra;                    \
	static const volatile __u32 __inxpect_id_##name = INXPECT_NO_ID

#ifndef INXPECT_NO_TRACE
#define __INXPECT_TRACE(kind, fn, name, extra)           \
	do {                                             \
		__INXPECT_SITE(kind, name, extra);       \
		fn(__inxpect_id_##name);                 \
	} while (0)
#else
/* The same source built bare: the baseline instrumentation is compared to. */
#define __INXPECT_TRACE(kind, fn, name, extra) do { } while (0)
#endif

#define START_TRACE(name) __INXPECT_TRACE("start", __inxpect_start, name, "")
#define END_TRACE(name) __INXPECT_TRACE("end", __inxpect_end, name, "")
/* For instrumenters that know the static nesting: records the parent, which
 * otherwise the runtime infers from the source ranges of the sections. */
#define START_TRACE_IN(name, parent) \
	__INXPECT_TRACE("start", __inxpect_start, name, "\0parent=" #parent)

#endif /* INXPECT_INXPECT_H */
