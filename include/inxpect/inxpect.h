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
 * runtime/src/object/section_table.cpp for the reader.
 */
#ifndef INXPECT_INXPECT_H
#define INXPECT_INXPECT_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#include "inxpect/abi.h"

/* --- loader-set constants (.rodata, frozen before verification) -------- */
const volatile __u32 inxpect_mode = INXPECT_MODE_ANY;
const volatile __u32 inxpect_nr_events = 1;
const volatile __u32 inxpect_ev_src[INXPECT_MAX_EVENTS] = { INXPECT_SRC_KTIME };
const volatile __u32 inxpect_ev_slot[INXPECT_MAX_EVENTS];

/* --- run-time controls (written by user space through the map) --------- */
struct inxpect_ctl inxpect_ctl SEC(".data.inxpect") = { .sample_rate = 1 };

/* --- per-CPU, per-section state and accumulators ----------------------- */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, INXPECT_MAX_SECTIONS); /* loader shrinks it */
	__type(key, __u32);
	__type(value, struct inxpect_sec);
} inxpect_state SEC(".maps");

/* One PERF_EVENT_ARRAY per event slot, indexed by CPU (perf backend). */
#define INXPECT_PERF_MAP(n)                                  \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); \
		__uint(key_size, sizeof(__u32));             \
		__uint(value_size, sizeof(__u32));           \
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

/*
 * The loader's constants are read once per macro into locals: each read of
 * a volatile is an instruction the verifier cannot remove, while branches on
 * a local whose value it knows are pruned with the code only they reach.
 */
static __always_inline __u64 __inxpect_read(__u32 e, __u32 src)
{
	switch (src) {
	case INXPECT_SRC_KTIME:
		return bpf_ktime_get_ns();
	case INXPECT_SRC_PERF:
		switch (e) {
		case 0:
			return __inxpect_perf_read(&inxpect_perf0);
		case 1:
			return __inxpect_perf_read(&inxpect_perf1);
		case 2:
			return __inxpect_perf_read(&inxpect_perf2);
		default:
			return __inxpect_perf_read(&inxpect_perf3);
		}
	case INXPECT_SRC_KF_TSC:
		return inxpect_kf_rdtsc();
	case INXPECT_SRC_KF_PMC:
		return inxpect_kf_rdpmc(inxpect_ev_slot[e]);
	}
	return INXPECT_BAD_READ;
}

/* Whether a read pair failed; clock reads (ktime, TSC) cannot. */
static __always_inline int __inxpect_failed(__u32 src, __u64 a, __u64 b)
{
	return (src == INXPECT_SRC_PERF || src == INXPECT_SRC_KF_PMC) &&
	       (a == INXPECT_BAD_READ || b == INXPECT_BAD_READ);
}

/* Adds one measurement.  Hardware counters are INXPECT_PMC_BITS wide, so
 * differences are taken modulo 2^48 for every source: one mask and no
 * branch, and no section lasts 2^48 ns or ticks (days). */
static __always_inline void __inxpect_add(struct inxpect_sec *s, __u32 e, __u64 now)
{
	__u64 d = (now - s->start[e]) & ((1ULL << INXPECT_PMC_BITS) - 1);

	s->sum[e] += d;
	if (~d > s->inv_min[e])
		s->inv_min[e] = ~d;
	if (d > s->max[e])
		s->max[e] = d;
}

/*
 * Several events, or sources mixed: out of line, so that sites stay small
 * in big programs; the verifier drops the call, and then the function, in
 * the single-event modes.
 */
static __noinline void __inxpect_start_any(struct inxpect_sec *s)
{
	__u32 n = inxpect_nr_events;

	/* The first event is read last, closest to the section's code. */
	if (n > 3)
		s->start[3] = __inxpect_read(3, inxpect_ev_src[3]);
	if (n > 2)
		s->start[2] = __inxpect_read(2, inxpect_ev_src[2]);
	if (n > 1)
		s->start[1] = __inxpect_read(1, inxpect_ev_src[1]);
	s->start[0] = __inxpect_read(0, inxpect_ev_src[0]);
}

static __noinline void __inxpect_end_any(struct inxpect_sec *s)
{
	__u64 now0, now1 = 0, now2 = 0, now3 = 0;
	__u32 n, src0, src1 = 0, src2 = 0, src3 = 0;

	n = inxpect_nr_events;
	src0 = inxpect_ev_src[0];
	now0 = __inxpect_read(0, src0);
	if (n > 1) {
		src1 = inxpect_ev_src[1];
		now1 = __inxpect_read(1, src1);
	}
	if (n > 2) {
		src2 = inxpect_ev_src[2];
		now2 = __inxpect_read(2, src2);
	}
	if (n > 3) {
		src3 = inxpect_ev_src[3];
		now3 = __inxpect_read(3, src3);
	}
	s->open = 0;
	if (__inxpect_failed(src0, s->start[0], now0) ||
	    (n > 1 && __inxpect_failed(src1, s->start[1], now1)) ||
	    (n > 2 && __inxpect_failed(src2, s->start[2], now2)) ||
	    (n > 3 && __inxpect_failed(src3, s->start[3], now3))) {
		s->bad++;
		return;
	}
	s->count++;
	__inxpect_add(s, 0, now0);
	if (n > 1)
		__inxpect_add(s, 1, now1);
	if (n > 2)
		__inxpect_add(s, 2, now2);
	if (n > 3)
		__inxpect_add(s, 3, now3);
}

/* The single-event read of `mode`; the verifier keeps one case. */
static __always_inline __u64 __inxpect_read_one(__u32 mode)
{
	switch (mode) {
	case INXPECT_MODE_ONE_KTIME:
		return __inxpect_read(0, INXPECT_SRC_KTIME);
	case INXPECT_MODE_ONE_PERF:
		return __inxpect_read(0, INXPECT_SRC_PERF);
	case INXPECT_MODE_ONE_KF_TSC:
		return __inxpect_read(0, INXPECT_SRC_KF_TSC);
	default:
		return __inxpect_read(0, INXPECT_SRC_KF_PMC);
	}
}

static __always_inline void __inxpect_start(__u32 id)
{
	struct inxpect_sec *s;
	__u32 mode;

	/* The lookup fails for ids the loader did not assign (INXPECT_NO_ID);
	 * the mask only proves the bound to the verifier. */
	s = bpf_map_lookup_elem(&inxpect_state, &id);
	if (!s || inxpect_ctl.disabled[id & (INXPECT_MAX_SECTIONS - 1)])
		return;
	/* 1-in-N sampling: a per-CPU countdown, no helper call. */
	if (++s->tick < inxpect_ctl.sample_rate)
		return;
	s->tick = 0;
	s->open = 1;
	/* Read last, so that little of the section's bookkeeping is measured. */
	mode = inxpect_mode;
	if (mode == INXPECT_MODE_ANY)
		__inxpect_start_any(s);
	else
		s->start[0] = __inxpect_read_one(mode);
}

static __always_inline void __inxpect_end(__u32 id)
{
	struct inxpect_sec *s;
	__u32 mode;
	__u64 now;

	/* Check before reading: a sampled-out or unmatched END must cost no
	 * counter read.  The inlined lookup this puts inside the measurement is
	 * a few fixed instructions, which calibration removes. */
	s = bpf_map_lookup_elem(&inxpect_state, &id);
	if (!s || !s->open)
		return; /* END without START on this CPU: record nothing */
	mode = inxpect_mode;
	if (mode == INXPECT_MODE_ANY) {
		__inxpect_end_any(s);
		return;
	}
	now = __inxpect_read_one(mode);
	s->open = 0;
	if ((mode == INXPECT_MODE_ONE_PERF || mode == INXPECT_MODE_ONE_KF_PMC) &&
	    (now == INXPECT_BAD_READ || s->start[0] == INXPECT_BAD_READ)) {
		s->bad++;
		return;
	}
	s->count++;
	__inxpect_add(s, 0, now);
}

/*
 * START and END out of line, for instrumenters that place many sections
 * (inxpect-cc): one copy of the measuring code, which the verifier checks
 * once, instead of one per site.  The call costs a few instructions inside
 * each measurement; their site records say "call=1" so that calibration
 * subtracts the out-of-line cost.  Global, so the verifier checks them on
 * their own; weak, so separately instrumented objects still link together.
 */
__attribute__((noinline, weak)) int __inxpect_start_call(__u32 id)
{
	__inxpect_start(id);
	return 0;
}

__attribute__((noinline, weak)) int __inxpect_end_call(__u32 id)
{
	__inxpect_end(id);
	return 0;
}

#define __INXPECT_STR2(x) #x
#define __INXPECT_STR(x) __INXPECT_STR2(x)

/* The site record: NUL-separated "key=value" strings, see abi.h. */
#define __INXPECT_SITE(kind, name, extra)                                               \
	static const char __inxpect_site_##name[]                                       \
		__attribute__((section(INXPECT_SITES_SECTION),                          \
			       used)) = "site=" kind "\0name=" #name "\0file=" __FILE__ \
					"\0line=" __INXPECT_STR(__LINE__) extra;        \
	static const volatile __u32 __inxpect_id_##name = INXPECT_NO_ID

#ifndef INXPECT_NO_TRACE
#define __INXPECT_TRACE(kind, fn, name, extra)     \
	do {                                       \
		__INXPECT_SITE(kind, name, extra); \
		fn(__inxpect_id_##name);           \
	} while (0)
#else
/* The same source built bare: the baseline instrumentation is compared to. */
#define __INXPECT_TRACE(kind, fn, name, extra) \
	do {                                   \
	} while (0)
#endif

#define START_TRACE(name) __INXPECT_TRACE("start", __inxpect_start, name, "")
#define END_TRACE(name) __INXPECT_TRACE("end", __inxpect_end, name, "")
/* For instrumenters that know the static nesting: records the parent, which
 * otherwise the runtime infers from the source ranges of the sections. */
#define START_TRACE_IN(name, parent) \
	__INXPECT_TRACE("start", __inxpect_start, name, "\0parent=" #parent)

/*
 * The same, measuring through the one out-of-line copy of START/END
 * (__inxpect_start_call/__inxpect_end_call above): for instrumenters that
 * place many sections, such as inxpect-cc.  The site record says "call=1",
 * so calibration subtracts the cost of the call.
 */
#define START_TRACE_CALL(name) __INXPECT_TRACE("start", __inxpect_start_call, name, "\0call=1")
#define START_TRACE_CALL_IN(name, parent) \
	__INXPECT_TRACE("start", __inxpect_start_call, name, "\0parent=" #parent "\0call=1")
#define END_TRACE_CALL(name) __INXPECT_TRACE("end", __inxpect_end_call, name, "")

#endif /* INXPECT_INXPECT_H */
