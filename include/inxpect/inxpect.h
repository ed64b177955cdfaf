/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * InXpect section tracing for XDP and TC programs.
 *
 *   #include <inxpect/inxpect.h>
 *   START_TRACE(parse);  ...  END_TRACE(parse);
 *
 * Every START site owns a slot fixed at compile time, so an object measures
 * its sections whichever loader loads it (ip, bpftool, xdp-loader, a
 * skeleton); inxpect finds the slots in the object's site records.  What a
 * measurement costs and keeps is in abi.h: per CPU and per call path, a
 * count, sum, min and max per event and a histogram of event 0.
 *
 * Two ways to mark sections:
 *  - START_TRACE(name) / END_TRACE(name), written by hand.  END must be in
 *    the scope of its START (it names a local that START declares): it then
 *    only ever closes the START that ran before it in the same run.
 *  - The instrumenter's macros (inxpect-cc): INXPECT_RUN_BEGIN() at the top
 *    of each program, INXPECT_RUN_JOIN() at the top of other functions
 *    that hold sections, INXPECT_SECTION_START/END around each section.
 *    The run's sampling decision is taken once, at RUN_BEGIN, and kept in
 *    one local per function, so a section of a run that is not measured
 *    costs a test of that local.
 *
 * What the loader decides (the counters) is .rodata, which the verifier
 * sees as constants, so it removes every unused path; what user space
 * changes while programs run (sampling rate, per-section enable) is the
 * ".data.inxpect" map.  Defaults, for loaders that know nothing of InXpect:
 * ktime, every run measured.
 *
 * This header depends on no helper header: it works beside libbpf's
 * bpf_helpers.h, a program's own copy of it, vmlinux.h or none of these,
 * in any order.  Everything it declares is named __inxpect_* or INXPECT_*,
 * except the two hand-written macros.
 */
#ifndef INXPECT_INXPECT_H
#define INXPECT_INXPECT_H

#include "inxpect/abi.h"

/* Slots per object: one disabled byte each in .data.inxpect.  inxpect-cc
 * raises it when a file has more sections. */
#ifndef INXPECT_MAX_SLOTS
#define INXPECT_MAX_SLOTS 1024
#endif
/* Call-path accumulators per CPU (a power of two); element 0 is the header. */
#ifndef INXPECT_NODES
#define INXPECT_NODES 256
#endif
/* CPUs with a sampling state of their own (a power of two); CPUs beyond
 * share one (their runs are still measured; inxpect warns at load). */
#ifndef INXPECT_MAX_CPUS
#define INXPECT_MAX_CPUS 512
#endif

#define __inxpect_inline static __inline__ __attribute__((__always_inline__))
/* Unformatted: clang-format would write int(*name). */
/* clang-format off */
#define __inxpect_uint(name, val) int (*name)[val]
/* clang-format on */
#define __inxpect_type(name, val) __typeof__(val) *name
#define __inxpect_sec(s) __attribute__((__section__(s), __used__))
#define __inxpect_ksym extern __attribute__((__section__(".ksyms"), __weak__))

/* BPF helpers, by number (include/uapi/linux/bpf.h), under our own names. */
static void *(*__inxpect_map_lookup_elem)(void *map, const void *key) = (void *)1;
static __inxpect_u64 (*__inxpect_ktime_get_ns)(void) = (void *)5;
/* Declared 64-bit: the CPU number needs no zero-extension then. */
static __inxpect_u64 (*__inxpect_get_smp_processor_id)(void) = (void *)8;
static long (*__inxpect_perf_event_read_value)(void *map, __inxpect_u64 flags, void *buf,
					       __inxpect_u32 size) = (void *)55;

#define __INXPECT_CURRENT_CPU 0xffffffffULL
/* Stack indexes, masked where used: the compiler may check one register
 * and index with a copy, whose bound the verifier does not know.  The empty
 * asm keeps the compiler from dropping a mask it proves redundant. */
/* Unformatted: clang-format would take & for an address-of. */
/* clang-format off */
#define __INXPECT_D(d)                                                         \
	({                                                                     \
		__inxpect_u64 __d = (d);                                       \
		__asm__ __volatile__("" : "+r"(__d));                          \
		__d & (INXPECT_MAX_DEPTH - 1);                                 \
	})
/* clang-format on */
#define __INXPECT_PERCPU_ARRAY 6     /* BPF_MAP_TYPE_PERCPU_ARRAY */
#define __INXPECT_PERF_EVENT_ARRAY 4 /* BPF_MAP_TYPE_PERF_EVENT_ARRAY */

/* --- loader-set constants (.rodata, frozen before verification) -------- */
const volatile __inxpect_u32 inxpect_mode = INXPECT_MODE_KTIME;
const volatile __inxpect_u32 inxpect_nr_events = 1;
const volatile __inxpect_u32 inxpect_ev_src[INXPECT_MAX_EVENTS] = { INXPECT_SRC_KTIME };

/* --- run-time controls -------------------------------------------------- */
/* Anonymous, so that a skeleton of the object spells the layout out and
 * needs no more than abi.h. */
struct {
	struct inxpect_ctl c;
	__inxpect_u8 disabled[INXPECT_MAX_SLOTS];
} inxpect_ctl __inxpect_sec(INXPECT_CTL_SECTION) = {
	.c = { .abi = INXPECT_ABI_VERSION,
	       .sample_rate = 1,
	       .nr_events = 1,
	       .src = { INXPECT_SRC_KTIME } },
};

/* --- per-CPU state ------------------------------------------------------- */
struct {
	__inxpect_uint(type, __INXPECT_PERCPU_ARRAY);
	__inxpect_uint(max_entries, INXPECT_NODES);
	__inxpect_type(key, __inxpect_u32);
	__inxpect_type(value, struct inxpect_node);
} inxpect_state __inxpect_sec(".maps");

/* Where the BPF code keeps a CPU's open sections (the module keeps its own). */
struct __inxpect_open {
	__inxpect_u64 key;
	__inxpect_u64 tok; /* hand-written sections: the START's token */
	__inxpect_u32 slot;
	__inxpect_u32 pad;
	__inxpect_u64 start[INXPECT_MAX_EVENTS];
};
struct __inxpect_perf_value {
	__inxpect_u64 counter, enabled, running;
};
struct __inxpect_cpu {
	__inxpect_u32 depth;                   /* open sections; stk[0] stands for "no section" */
	__inxpect_u32 key;                     /* scratch: a map key, so that no stack is used */
	__inxpect_u32 d;                       /* scratch: the depth and slot an END closes ... */
	__inxpect_u32 slot;                    /* ... kept here, not in registers, across calls */
	__inxpect_u64 gen;                     /* last token handed out */
	__inxpect_u64 now[INXPECT_MAX_EVENTS]; /* scratch: END's reads */
	struct __inxpect_perf_value pv;        /* scratch: the perf helper's */
	struct __inxpect_open stk[INXPECT_MAX_DEPTH];
};

/*
 * The sampling state of each CPU, in .bss and indexed by CPU number: the
 * draw that every run makes costs no map lookup.  A cache line each, so
 * that CPUs never write the same line.
 */
#ifdef INXPECT_BARE_COPY
/* Programs with a bare copy (inxpect-cc defines INXPECT_BARE_COPY): a run
 * not measured returns right after the draw, which then writes one word. */
struct __inxpect_draw {
	__inxpect_u64 tick; /* runs until the next measured one, times 2, + 1 when measured */
	__inxpect_u64 rng;  /* xorshift64 state drawing the intervals */
	__inxpect_u64 pad[6];
};
#define __INXPECT_MEASURED { .tick = 1 }
#else
struct __inxpect_draw {
	__inxpect_u64 tick; /* runs until the next measured one */
	__inxpect_u64 rng;  /* xorshift64 state drawing the intervals */
	__inxpect_u64 on;   /* the current run is measured */
	__inxpect_u64 pad[5];
};
#define __INXPECT_MEASURED { .on = 1 }
#endif
static struct __inxpect_draw __inxpect_draws[INXPECT_MAX_CPUS] __attribute__((__aligned__(64)));
struct {
	__inxpect_uint(type, __INXPECT_PERCPU_ARRAY);
	__inxpect_uint(max_entries, 1);
	__inxpect_type(key, __inxpect_u32);
	__inxpect_type(value, struct __inxpect_cpu);
} inxpect_cpu __inxpect_sec(".maps");

/* One PERF_EVENT_ARRAY per event, indexed by CPU (perf helper mode). */
#define __INXPECT_PERF_MAP(n)                                      \
	struct {                                                   \
		__inxpect_uint(type, __INXPECT_PERF_EVENT_ARRAY);  \
		__inxpect_uint(key_size, sizeof(__inxpect_u32));   \
		__inxpect_uint(value_size, sizeof(__inxpect_u32)); \
	} inxpect_perf##n __inxpect_sec(".maps")
__INXPECT_PERF_MAP(0);
__INXPECT_PERF_MAP(1);
__INXPECT_PERF_MAP(2);
__INXPECT_PERF_MAP(3);
#undef __INXPECT_PERF_MAP

/* Map keys that live in .rodata: helper calls take them without stack. */
static const __inxpect_u32 __inxpect_key0 = 0;

/*
 * inxpect.ko's kfuncs (kmod/sections.c).  Weak: called only in the module
 * modes, so objects load without the module.
 */
__inxpect_ksym void inxpect_kf_start(__inxpect_u32 arg);
__inxpect_ksym void inxpect_kf_end(void *state__map, __inxpect_u32 skip);
/* The same, measuring only if `on` (sections in loops, see below). */
__inxpect_ksym void inxpect_kf_start_on(__inxpect_u32 arg, __inxpect_u64 on);
__inxpect_ksym void inxpect_kf_end_on(void *state__map, __inxpect_u32 skip, __inxpect_u64 on);
__inxpect_ksym void inxpect_kf_start_ev(void *ctl, __inxpect_u32 ctl__sz, __inxpect_u32 arg,
					__inxpect_u64 on);
__inxpect_ksym void inxpect_kf_end_ev(void *state__map, void *ctl, __inxpect_u32 ctl__sz,
				      __inxpect_u32 skip, __inxpect_u64 on);
__inxpect_ksym __inxpect_u64 inxpect_kf_hstart(void *ctl, __inxpect_u32 ctl__sz, __inxpect_u32 arg);
__inxpect_ksym void inxpect_kf_hend(void *state__map, void *ctl, __inxpect_u32 ctl__sz,
				    __inxpect_u64 tok);
/* The lean probe (INXPECT_MODE_KMOD_LEAN): a section's start kept per slot. */
__inxpect_ksym void inxpect_kf_lstart(__inxpect_u32 slot);
__inxpect_ksym void inxpect_kf_lend(void *state__map, __inxpect_u32 slot);
__inxpect_ksym void inxpect_kf_lstart_on(__inxpect_u32 slot, __inxpect_u64 on);
__inxpect_ksym void inxpect_kf_lend_on(void *state__map, __inxpect_u32 slot, __inxpect_u64 on);

#define __INXPECT_NO_ROOT INXPECT_KF_SLOT
#define __inxpect_kf_ctl (void *)&inxpect_ctl, (__inxpect_u32)sizeof(inxpect_ctl)

/* --- counter reads (BPF modes) ------------------------------------------ */
/* Reads go through the CPU's state (c): the perf helper's result lands
 * there, not on the stack. */
__inxpect_inline __inxpect_u64 __inxpect_perf_read(struct __inxpect_cpu *c, void *map)
{
	long err = __inxpect_perf_event_read_value(map, __INXPECT_CURRENT_CPU, &c->pv,
						   sizeof(c->pv));

	/* Recompute &c->pv from c (kept in a callee-saved register) rather
	 * than spill it across the call. */
	__asm__ __volatile__("" : "+r"(c));
	return err ? INXPECT_BAD_READ : c->pv.counter;
}

__inxpect_inline __inxpect_u64 __inxpect_read(struct __inxpect_cpu *c, __inxpect_u32 e,
					      __inxpect_u32 src)
{
	if (src == INXPECT_SRC_KTIME)
		return __inxpect_ktime_get_ns();
	if (src == INXPECT_SRC_PERF)
		switch (e) {
		case 0:
			return __inxpect_perf_read(c, &inxpect_perf0);
		case 1:
			return __inxpect_perf_read(c, &inxpect_perf1);
		case 2:
			return __inxpect_perf_read(c, &inxpect_perf2);
		default:
			return __inxpect_perf_read(c, &inxpect_perf3);
		}
	return INXPECT_BAD_READ; /* the module's sources are read by the module */
}

/* Event 0 alone: the constants leave one call. */
__inxpect_inline __inxpect_u64 __inxpect_read0(struct __inxpect_cpu *c, __inxpect_u32 mode)
{
	if (mode == INXPECT_MODE_PERF)
		return __inxpect_perf_read(c, &inxpect_perf0);
	if (mode == INXPECT_MODE_ANY)
		return __inxpect_read(c, 0, inxpect_ev_src[0]);
	return __inxpect_ktime_get_ns();
}

/* START: event 0 last, closest to the section's code. */
__inxpect_inline void __inxpect_read_start(struct __inxpect_cpu *c, struct __inxpect_open *o,
					   __inxpect_u32 mode)
{
	if (mode == INXPECT_MODE_ANY) {
		__inxpect_u32 n = inxpect_nr_events;

		if (n > 3)
			o->start[3] = __inxpect_read(c, 3, inxpect_ev_src[3]);
		if (n > 2)
			o->start[2] = __inxpect_read(c, 2, inxpect_ev_src[2]);
		if (n > 1)
			o->start[1] = __inxpect_read(c, 1, inxpect_ev_src[1]);
	}
	o->start[0] = __inxpect_read0(c, mode);
}

/* --- the BPF side of a run ----------------------------------------------- */
__inxpect_inline struct __inxpect_cpu *__inxpect_cpu(void)
{
	return __inxpect_map_lookup_elem(&inxpect_cpu, &__inxpect_key0);
}

__inxpect_inline struct __inxpect_draw *__inxpect_draw_state(void)
{
	return &__inxpect_draws[__inxpect_get_smp_processor_id() & (INXPECT_MAX_CPUS - 1)];
}

/* The next interval: uniform in [1, 2 * rate - 1], so that no period in
 * the traffic lines up with them. */
__inxpect_inline __inxpect_u64 __inxpect_interval(struct __inxpect_draw *t, __inxpect_u32 rate)
{
	__inxpect_u64 x = t->rng ? t->rng : 0x9E3779B97F4A7C15ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	t->rng = x;
	return 1 + x % (2 * (__inxpect_u64)rate - 1);
}

/* Whether the run that begins is measured: 1 in sample_rate on average,
 * at intervals drawn by a per-CPU xorshift.  A run not measured costs the
 * countdown alone.  A tick that user space zeroes (a new rate) measures
 * the next run. */
#ifdef INXPECT_BARE_COPY
__inxpect_inline int __inxpect_draw(struct __inxpect_draw *t)
{
	__inxpect_u64 w = (t->tick | 1) - 3; /* one run less, not measured */
	__inxpect_u32 rate;

	t->tick = w;
	if ((long long)w > 0)
		return 0;
	rate = inxpect_ctl.c.sample_rate;
	t->tick = rate <= 1 ? 1 : (__inxpect_interval(t, rate) << 1) | 1;
	return 1;
}

__inxpect_inline __inxpect_u64 __inxpect_on(const struct __inxpect_draw *t)
{
	return t->tick & 1;
}

__inxpect_inline void __inxpect_off(struct __inxpect_draw *t)
{
	t->tick &= ~1ULL;
}
#else
__inxpect_inline int __inxpect_draw(struct __inxpect_draw *t)
{
	__inxpect_u32 rate;

	if ((long long)--t->tick > 0)
		return t->on = 0;
	t->on = 1;
	rate = inxpect_ctl.c.sample_rate;
	if (rate > 1)
		t->tick = __inxpect_interval(t, rate);
	return 1;
}

/* Whether the current run is measured, 0 or 1. */
__inxpect_inline __inxpect_u64 __inxpect_on(const struct __inxpect_draw *t)
{
	return t->on;
}

/* A run that began measured but cannot be (no state): the rest is not. */
__inxpect_inline void __inxpect_off(struct __inxpect_draw *t)
{
	t->on = 0;
}
#endif

__inxpect_inline void __inxpect_count(__inxpect_u32 what)
{
	struct inxpect_hdr *h = __inxpect_map_lookup_elem(&inxpect_state, &__inxpect_key0);

	if (!h)
		return;
	if (what == 0)
		h->overflow++;
	else if (what == 1)
		h->lost++;
	else
		h->unmatched++;
}

/* Opens a section on this CPU's stack; false when it is too deep. */
__inxpect_inline int __inxpect_push(struct __inxpect_cpu *c, __inxpect_u32 slot, __inxpect_u64 tok,
				    __inxpect_u32 mode)
{
	__inxpect_u32 d = c->depth + 1;
	__inxpect_u64 parent;

	c->depth = d;
	if (d >= INXPECT_MAX_DEPTH) {
		__inxpect_count(0);
		return 0;
	}
	parent = inxpect_ctl.c.flags & INXPECT_CTL_NO_PATHS ? 0 : c->stk[__INXPECT_D(d - 1)].key;
	c->stk[__INXPECT_D(d)].key = parent * INXPECT_PATH_MUL + slot + 1;
	c->stk[__INXPECT_D(d)].tok = tok;
	c->stk[__INXPECT_D(d)].slot = slot;
	__inxpect_read_start(c, &c->stk[__INXPECT_D(d)], mode);
	return 1;
}

/* floor(log2(v)) for v >= 4, without branches (BPF has no clz). */
__inxpect_inline __inxpect_u32 __inxpect_log2(__inxpect_u64 v)
{
	__inxpect_u32 e = 0, s;

	s = (__inxpect_u32)((0xffffffffULL - v) >> 63) << 5;
	v >>= s;
	e |= s;
	s = (__inxpect_u32)((0xffffULL - v) >> 63) << 4;
	v >>= s;
	e |= s;
	s = (__inxpect_u32)((0xffULL - v) >> 63) << 3;
	v >>= s;
	e |= s;
	s = (__inxpect_u32)((0xfULL - v) >> 63) << 2;
	v >>= s;
	e |= s;
	s = (__inxpect_u32)((0x3ULL - v) >> 63) << 1;
	v >>= s;
	e |= s;
	return e | (__inxpect_u32)(v >> 1);
}

__inxpect_inline void __inxpect_add(struct inxpect_node *n, __inxpect_u32 e, __inxpect_u64 d)
{
	n->sum[e] += d;
	if (~d > n->inv_min[e])
		n->inv_min[e] = ~d;
	if (d > n->max[e])
		n->max[e] = d;
}

/* The accumulator of the path closing at depth c->d: its home element,
 * else the one a step further, the step being its key's high half (odd);
 * a free one is claimed.  Siblings have consecutive keys with one high
 * half: their homes are neighbours, and their second choices must be too,
 * not all one element.  Values are reloaded from c after each call, so
 * that nothing spills to the stack. */
__inxpect_inline struct inxpect_node *__inxpect_node(struct __inxpect_cpu *c)
{
	struct inxpect_node *n;

	c->key = (__inxpect_u32)c->stk[__INXPECT_D(c->d)].key & (INXPECT_NODES - 1);
	n = __inxpect_map_lookup_elem(&inxpect_state, &c->key);
	if (n && n->key == c->stk[__INXPECT_D(c->d)].key)
		return n;
	if (!n || n->key || !c->key) {
		c->key = (__inxpect_u32)(c->stk[__INXPECT_D(c->d)].key +
					 ((c->stk[__INXPECT_D(c->d)].key >> 32) | 1)) &
			 (INXPECT_NODES - 1);
		n = __inxpect_map_lookup_elem(&inxpect_state, &c->key);
		if (!n || !c->key || (n->key && n->key != c->stk[__INXPECT_D(c->d)].key))
			return 0;
	}
	if (!n->key) {
		n->key = c->stk[__INXPECT_D(c->d)].key;
		n->parent = inxpect_ctl.c.flags & INXPECT_CTL_NO_PATHS
				    ? 0
				    : c->stk[__INXPECT_D(c->d - 1)].key;
		n->slot = c->slot;
		n->depth = c->d;
	}
	return n;
}

/* Closes the section at depth d (the top of the stack) and records it.
 * The mode is read again where it is needed: kept, it would spill. */
#define __INXPECT_MODE inxpect_mode
__inxpect_inline void __inxpect_pop(struct __inxpect_cpu *c, __inxpect_u32 d, __inxpect_u32 slot)
{
	struct __inxpect_open *o;
	struct inxpect_node *node;
	__inxpect_u64 d0;
	__inxpect_u32 e;

	c->d = d;
	c->slot = slot;
	c->now[0] = __inxpect_read0(c, __INXPECT_MODE);
	if (__INXPECT_MODE == INXPECT_MODE_ANY) {
		if (inxpect_nr_events > 1)
			c->now[1] = __inxpect_read(c, 1, inxpect_ev_src[1]);
		if (inxpect_nr_events > 2)
			c->now[2] = __inxpect_read(c, 2, inxpect_ev_src[2]);
		if (inxpect_nr_events > 3)
			c->now[3] = __inxpect_read(c, 3, inxpect_ev_src[3]);
	}
	c->depth = c->d - 1;
	if (c->slot < INXPECT_MAX_SLOTS && inxpect_ctl.disabled[c->slot & (INXPECT_MAX_SLOTS - 1)])
		return;
	node = __inxpect_node(c);
	if (!node) {
		__inxpect_count(1);
		return;
	}
	o = &c->stk[__INXPECT_D(c->d)];
	/* Clock reads cannot fail; the perf helper can. */
	if (__INXPECT_MODE == INXPECT_MODE_PERF || __INXPECT_MODE == INXPECT_MODE_ANY)
		for (e = 0; e < INXPECT_MAX_EVENTS; e++)
			if ((e == 0 ||
			     (__INXPECT_MODE == INXPECT_MODE_ANY && e < inxpect_nr_events)) &&
			    (c->now[e] == INXPECT_BAD_READ || o->start[e] == INXPECT_BAD_READ)) {
				node->bad++;
				return;
			}
	node->count++;
	d0 = c->now[0] - o->start[0];
	__inxpect_add(node, 0, d0);
	if (__INXPECT_MODE == INXPECT_MODE_ANY)
		for (e = 1; e < INXPECT_MAX_EVENTS; e++)
			if (e < inxpect_nr_events)
				__inxpect_add(node, e, c->now[e] - o->start[e]);
	if (!(inxpect_ctl.c.flags & INXPECT_CTL_NO_HIST)) {
		__inxpect_u64 b = inxpect_hist_bucket(d0, __inxpect_log2(d0));

		__asm__ __volatile__("" : "+r"(b)); /* the bound, for the verifier */
		if (b < INXPECT_HIST_BUCKETS)
			node->hist[b]++;
	}
}
#undef __INXPECT_MODE

/* --- the BPF side of a run, out of line --------------------------------- */
/*
 * In the BPF modes START and END are global functions: the verifier checks
 * each once, not at every site or every loop iteration, and they use no
 * stack (their scratch is this CPU's state), so they add nothing to a
 * program's 512 bytes.  Weak: objects instrumented apart link together.
 */
__attribute__((__noinline__, __weak__)) int __inxpect_bpf_begin(__inxpect_u32 root)
{
	struct __inxpect_cpu *c = __inxpect_cpu();

	if (!c)
		return 0;
	c->depth = 0;
	if (root != __INXPECT_NO_ROOT)
		__inxpect_push(c, root, 0, inxpect_mode);
	return 1;
}

/* START and END look at the run's decision themselves: sections in loops
 * call them whatever it is. */
__attribute__((__noinline__, __weak__)) int __inxpect_bpf_start(__inxpect_u32 slot)
{
	struct __inxpect_cpu *c;

	if (!__inxpect_on(__inxpect_draw_state()))
		return 0;
	c = __inxpect_cpu();
	if (c)
		__inxpect_push(c, slot, 0, inxpect_mode);
	return 0;
}

__attribute__((__noinline__, __weak__)) int __inxpect_bpf_end(__inxpect_u32 slot)
{
	struct __inxpect_cpu *c;
	__inxpect_u32 d;

	if (!__inxpect_on(__inxpect_draw_state()))
		return 0;
	c = __inxpect_cpu();
	if (!c)
		return 0;
	d = c->depth;
	if (d >= INXPECT_MAX_DEPTH || !d) {
		/* Too deep to have been measured; 0: a bug, never negative. */
		if (d)
			c->depth = d - 1;
		return 0;
	}
	__inxpect_pop(c, d, slot);
	return 0;
}

/* --- the instrumenter's macros ------------------------------------------- */
__inxpect_inline int __inxpect_kmod(__inxpect_u32 mode)
{
	return mode == INXPECT_MODE_KMOD || mode == INXPECT_MODE_KMOD_TSC ||
	       mode == INXPECT_MODE_KMOD_LEAN;
}

/* Whether section `slot` is switched off. */
__inxpect_inline __inxpect_u8 __inxpect_skip(__inxpect_u32 slot)
{
	return slot < INXPECT_MAX_SLOTS ? inxpect_ctl.disabled[slot] : 0;
}

/*
 * The mode is dispatched on with one comparison to a constant per mode,
 * each leading to its own call: the verifier knows the mode and turns
 * each comparison into a jump it then drops, where arithmetic on the mode
 * (which the compiler makes of "mode is 3, 4 or 5") would stay in the
 * measured code.
 */

/* The lean probe does not start a section that is switched off: its END
 * then finds no start and records nothing. */
__inxpect_inline void __inxpect_lean_start(__inxpect_u32 slot)
{
	if (!__inxpect_skip(slot))
		inxpect_kf_lstart(slot);
}

/* The module's flags of a run that begins: read here, volatile, so that
 * the compiler does not compute them on the paths of other modes. */
__inxpect_inline __inxpect_u32 __inxpect_kf_root(__inxpect_u32 root)
{
	__inxpect_u32 flags = *(volatile __inxpect_u32 *)&inxpect_ctl.c.flags;

	return root | INXPECT_KF_ROOT | (flags & INXPECT_CTL_NO_HIST ? INXPECT_KF_NO_HIST : 0) |
	       (flags & INXPECT_CTL_NO_PATHS ? INXPECT_KF_NO_PATHS : 0);
}

/*
 * A function's view of the run, one local per function: this CPU's draw,
 * whose `on` says whether the run is measured.  Sections read it where
 * they start and end instead of keeping it in the local: a value the
 * verifier does not know splits no state, so instrumented code is
 * verified once, not once per outcome of the draw (a 320-iteration loop
 * would be verified twice over).  inxpect_mode is read at each site, and
 * only on the measured path: the verifier knows it and keeps one mode's
 * code.
 */
typedef const struct __inxpect_draw *__inxpect_run_t;

/* The view of a program with a bare copy (INXPECT_RUN_BEGIN_BARE): its own
 * code runs only in measured runs, so every test of this constant folds. */
static const struct __inxpect_draw __inxpect_measured = __INXPECT_MEASURED;

/* A run the draw measures begins: its own section, root, opens.  0: it
 * cannot be measured after all (no per-CPU state in the BPF modes), and
 * with `off` t says so to the rest of the run. */
__inxpect_inline int __inxpect_run_measured(struct __inxpect_draw *t, __inxpect_u32 root, int off)
{
	__inxpect_u32 mode = inxpect_mode;

	if (mode == INXPECT_MODE_KMOD_LEAN) {
		if (root != __INXPECT_NO_ROOT)
			__inxpect_lean_start(root);
	} else if (mode == INXPECT_MODE_KMOD_TSC) {
		inxpect_kf_start(__inxpect_kf_root(root));
	} else if (mode == INXPECT_MODE_KMOD) {
		inxpect_kf_start_ev(__inxpect_kf_ctl, __inxpect_kf_root(root), 1);
	} else if (!__inxpect_bpf_begin(root)) {
		if (off)
			__inxpect_off(t);
		return 0;
	}
	return 1;
}

__inxpect_inline __inxpect_run_t __inxpect_run_begin(__inxpect_u32 root)
{
	struct __inxpect_draw *t = __inxpect_draw_state();

	if (__inxpect_draw(t))
		__inxpect_run_measured(t, root, 1);
	return t;
}

/* A program with a bare copy: 0 when the run is not measured (the
 * program returns its copy, whose code tests nothing), else the constant
 * view.  The draw is not needed after the START call: kept in no
 * register across it, it costs the program no register save. */
__inxpect_inline __inxpect_run_t __inxpect_run_begin_bare(__inxpect_u32 root)
{
	struct __inxpect_draw *t = __inxpect_draw_state();

	if (!__inxpect_draw(t) || !__inxpect_run_measured(t, root, 0))
		return 0;
	return &__inxpect_measured;
}

__inxpect_inline __inxpect_run_t __inxpect_run_join(void)
{
	return __inxpect_draw_state();
}

__inxpect_inline void __inxpect_section_start(__inxpect_run_t run, __inxpect_u32 slot)
{
	__inxpect_u32 mode;

	if (!__inxpect_on(run))
		return;
	mode = inxpect_mode;
	if (mode == INXPECT_MODE_KMOD_TSC)
		inxpect_kf_start(slot);
	else if (mode == INXPECT_MODE_KMOD_LEAN)
		__inxpect_lean_start(slot);
	else if (mode == INXPECT_MODE_KMOD)
		inxpect_kf_start_ev(__inxpect_kf_ctl, slot, 1);
	else
		__inxpect_bpf_start(slot);
}

__inxpect_inline void __inxpect_section_end(__inxpect_run_t run, __inxpect_u32 slot)
{
	__inxpect_u32 mode;

	if (!run || !__inxpect_on(run))
		return;
	mode = inxpect_mode;
	if (mode == INXPECT_MODE_KMOD_LEAN)
		inxpect_kf_lend(&inxpect_state, slot);
	else if (mode == INXPECT_MODE_KMOD_TSC)
		inxpect_kf_end(&inxpect_state, __inxpect_skip(slot));
	else if (mode == INXPECT_MODE_KMOD)
		inxpect_kf_end_ev(&inxpect_state, __inxpect_kf_ctl, __inxpect_skip(slot), 1);
	else
		__inxpect_bpf_end(slot);
}

/*
 * Sections inside loops: no branch on the sampling decision here, the
 * callee takes it.  The verifier checks every iteration of a loop, and a
 * branch it must follow both ways would multiply what it checks.
 */
__inxpect_inline void __inxpect_section_start_loop(__inxpect_run_t run, __inxpect_u32 slot)
{
	__inxpect_u32 mode = inxpect_mode;

	if (mode == INXPECT_MODE_KMOD_LEAN)
		inxpect_kf_lstart_on(slot,
				     __inxpect_on(run) & ~(__inxpect_u64)__inxpect_skip(slot));
	else if (mode == INXPECT_MODE_KMOD_TSC)
		inxpect_kf_start_on(slot, __inxpect_on(run));
	else if (mode == INXPECT_MODE_KMOD)
		inxpect_kf_start_ev(__inxpect_kf_ctl, slot, __inxpect_on(run));
	else
		__inxpect_bpf_start(slot);
}

__inxpect_inline void __inxpect_section_end_loop(__inxpect_run_t run, __inxpect_u32 slot)
{
	__inxpect_u32 mode = inxpect_mode;

	if (!run)
		return; /* a disarmed exit guard */
	if (mode == INXPECT_MODE_KMOD_LEAN)
		inxpect_kf_lend_on(&inxpect_state, slot, __inxpect_on(run));
	else if (mode == INXPECT_MODE_KMOD_TSC)
		inxpect_kf_end_on(&inxpect_state, __inxpect_skip(slot), __inxpect_on(run));
	else if (mode == INXPECT_MODE_KMOD)
		inxpect_kf_end_ev(&inxpect_state, __inxpect_kf_ctl, __inxpect_skip(slot),
				  __inxpect_on(run));
	else
		__inxpect_bpf_end(slot);
}

/* --- hand-written sections ----------------------------------------------- */
/*
 * START returns a token that its END passes back: a per-CPU sequence
 * number with the stack index in its low bits, so END finds its START in
 * one step, and an END whose START did not run in this run finds another
 * token there and records nothing.  A run begins at a START that finds no
 * section open, and draws whether it is measured; a section of a run that
 * is not measured is still opened, marked __INXPECT_TOK_OFF, so that the
 * sections inside it know the run is not measured (hand-written sections
 * have no function-wide local to keep that).  A START that finds its own
 * section still open on top, or the stack full, drops what is left: the END
 * of those never ran (an early return, a tail call).
 */
#define __INXPECT_TOK_BITS 5 /* log2(INXPECT_MAX_DEPTH) */
#define __INXPECT_TOK_OFF (1ULL << 63)

__attribute__((__noinline__, __weak__)) __inxpect_u64 __inxpect_bpf_hstart(__inxpect_u32 slot)
{
	struct __inxpect_draw *t = __inxpect_draw_state();
	struct __inxpect_cpu *c = __inxpect_cpu();
	__inxpect_u64 tok;
	__inxpect_u32 d;

	if (!c)
		return 0;
	d = c->depth;
	if (d >= INXPECT_MAX_DEPTH - 1)
		d = 0;
	else if (d && c->stk[__INXPECT_D(d)].tok && c->stk[__INXPECT_D(d)].slot == slot)
		d--;
	c->depth = d;
	if (!d)
		__inxpect_draw(t);
	tok = ((++c->gen) << __INXPECT_TOK_BITS) | (d + 1);
	if (!__inxpect_on(t)) {
		tok |= __INXPECT_TOK_OFF;
		c->depth = d + 1;
		c->stk[__INXPECT_D(d + 1)].tok = tok;
		c->stk[__INXPECT_D(d + 1)].slot = slot;
		return tok;
	}
	if (!__inxpect_push(c, slot, tok, inxpect_mode))
		return 0;
	return c->stk[__INXPECT_D(c->depth)].tok; /* reloaded: kept, tok would spill */
}

__attribute__((__noinline__, __weak__)) int __inxpect_bpf_hend(__inxpect_u64 tok)
{
	__inxpect_u32 d = tok & (INXPECT_MAX_DEPTH - 1);
	struct __inxpect_cpu *c = __inxpect_cpu();

	if (!c)
		return 0;
	if (!d || d > c->depth || c->stk[__INXPECT_D(d)].tok != tok) {
		__inxpect_count(2);
		return 0;
	}
	/* What was opened after it never ended: close down to it. */
	c->stk[__INXPECT_D(d)].tok = 0;
	c->depth = d;
	if (tok & __INXPECT_TOK_OFF) {
		c->depth = d - 1;
		return 0;
	}
	return __inxpect_bpf_end(c->stk[__INXPECT_D(d)].slot);
}

__inxpect_inline __inxpect_u64 __inxpect_hstart(__inxpect_u32 slot)
{
	if (__inxpect_kmod(inxpect_mode))
		return inxpect_kf_hstart(__inxpect_kf_ctl, slot);
	return __inxpect_bpf_hstart(slot);
}

__inxpect_inline void __inxpect_hend(__inxpect_u64 tok)
{
	if (!tok)
		return;
	if (__inxpect_kmod(inxpect_mode))
		inxpect_kf_hend(&inxpect_state, __inxpect_kf_ctl, tok);
	else
		__inxpect_bpf_hend(tok);
}

/* --- site records and the public macros ----------------------------------- */
#define __INXPECT_STR2(x) #x
#define __INXPECT_STR(x) __INXPECT_STR2(x)
#define __INXPECT_CAT2(a, b) a##b
#define __INXPECT_CAT(a, b) __INXPECT_CAT2(a, b)

/* One site record (see abi.h), loaded with the controls so that it
 * travels with the program.  Not const: a section cannot mix read-only and
 * writable variables, and the controls are written. */
#define __INXPECT_RECORD(var, fields)                                 \
	static char var[] __inxpect_sec(INXPECT_CTL_SECTION) = fields \
		"\0file=" __FILE__ "\0line=" __INXPECT_STR(__LINE__)

#define __INXPECT_CHECK_SLOT(slot)                 \
	_Static_assert((slot) < INXPECT_MAX_SLOTS, \
		       "more InXpect sections than INXPECT_MAX_SLOTS: define it higher")

/*
 * The instrumenter's macros.  slot: a number, unique in the object; extra:
 * more record fields ("\0parent=NAME").  One local, __inxpect_run, per
 * function (__inxpect_run_t): what INXPECT_SECTION_START/END look at.
 * INXPECT_GUARD declares a copy of it whose cleanup function ends a
 * section on every way out of a scope (the compiler keeps one copy); an
 * exit guard set to 0 is disarmed.
 */
#define INXPECT_RUN_BEGIN()           \
	__inxpect_run_t __inxpect_run \
		__attribute__((__unused__)) = __inxpect_run_begin(__INXPECT_NO_ROOT)
#define INXPECT_RUN_JOIN() \
	__inxpect_run_t __inxpect_run __attribute__((__unused__)) = __inxpect_run_join()
/* The START site of a program whose function body is itself a section. */
#define __INXPECT_ROOT_SITE(name, slot, extra)                                                    \
	__INXPECT_RECORD(__inxpect_site_##slot, "site=start\0name=" #name "\0slot=" #slot extra); \
	__INXPECT_CHECK_SLOT(slot)
/* RUN_BEGIN whose function body is itself section (name, slot). */
#define INXPECT_RUN_BEGIN_SECTION(name, slot, extra) \
	__INXPECT_ROOT_SITE(name, slot, extra);      \
	__inxpect_run_t __inxpect_run __attribute__((__unused__)) = __inxpect_run_begin(slot)
/* The same two for a program with a bare copy (inxpect-cc
 * -fprofile-sections-bare-copy): a run not measured returns `bare`, the
 * call of the program's body as written, and costs the draw alone. */
#define __INXPECT_RUN_BEGIN_BARE(root, bare)                                  \
	__inxpect_run_t __inxpect_run                                         \
		__attribute__((__unused__)) = __inxpect_run_begin_bare(root); \
	if (!__inxpect_run)                                                   \
	return bare
#define INXPECT_RUN_BEGIN_BARE(bare) __INXPECT_RUN_BEGIN_BARE(__INXPECT_NO_ROOT, bare)
#define INXPECT_RUN_BEGIN_SECTION_BARE(name, slot, extra, bare) \
	__INXPECT_ROOT_SITE(name, slot, extra);                 \
	__INXPECT_RUN_BEGIN_BARE(slot, bare)
#define INXPECT_SECTION_START(name, slot, extra)                                                   \
	do {                                                                                       \
		__INXPECT_RECORD(__inxpect_site, "site=start\0name=" #name "\0slot=" #slot extra); \
		__INXPECT_CHECK_SLOT(slot);                                                        \
		__inxpect_section_start(__inxpect_run, slot);                                      \
	} while (0)
/* run: __inxpect_run, or a copy of it (a cleanup function's argument). */
#define INXPECT_GUARD(var, end_fn) \
	__inxpect_run_t var __attribute__((__cleanup__(end_fn), __unused__)) = __inxpect_run
#define INXPECT_SECTION_START_LOOP(name, slot, extra)                                              \
	do {                                                                                       \
		__INXPECT_RECORD(__inxpect_site, "site=start\0name=" #name "\0slot=" #slot extra); \
		__INXPECT_CHECK_SLOT(slot);                                                        \
		__inxpect_section_start_loop(__inxpect_run, slot);                                 \
	} while (0)
#define INXPECT_SECTION_END_LOOP(name, slot, run)                                          \
	do {                                                                               \
		__INXPECT_RECORD(__inxpect_site, "site=end\0name=" #name "\0slot=" #slot); \
		__inxpect_section_end_loop(run, slot);                                     \
	} while (0)
#define INXPECT_SECTION_END(name, slot, run)                                               \
	do {                                                                               \
		__INXPECT_RECORD(__inxpect_site, "site=end\0name=" #name "\0slot=" #slot); \
		__inxpect_section_end(run, slot);                                          \
	} while (0)

/*
 * Hand-written sections.  A START site's slot is __COUNTER__ past the
 * instrumenter's (inxpect-cc sets __INXPECT_SLOT_BASE to the number of
 * sections it placed), recorded as slot= and base=.
 */
#ifndef __INXPECT_SLOT_BASE
#define __INXPECT_SLOT_BASE 0
#endif
#ifndef INXPECT_NO_TRACE
#define __INXPECT_HSTART(name, n)                                                                  \
	__INXPECT_RECORD(__INXPECT_CAT(__inxpect_site_, n),                                        \
			 "site=start\0name=" #name                                                 \
			 "\0slot=" __INXPECT_STR(n) "\0base=" __INXPECT_STR(__INXPECT_SLOT_BASE)); \
	__INXPECT_CHECK_SLOT(__INXPECT_SLOT_BASE + (n));                                           \
	__inxpect_u64 __inxpect_tok_##name = __inxpect_hstart(__INXPECT_SLOT_BASE + (n))
#define __INXPECT_HEND(name, n)                                                               \
	do {                                                                                  \
		__INXPECT_RECORD(__INXPECT_CAT(__inxpect_site_, n), "site=end\0name=" #name); \
		__inxpect_hend(__inxpect_tok_##name);                                         \
	} while (0)
#else
/* The same source built bare: the baseline instrumentation is compared to. */
#define __INXPECT_HSTART(name, n) \
	do {                      \
	} while (0)
#define __INXPECT_HEND(name, n) \
	do {                    \
	} while (0)
#endif
#define START_TRACE(name) __INXPECT_HSTART(name, __COUNTER__)
#define END_TRACE(name) __INXPECT_HEND(name, __COUNTER__)

#endif /* INXPECT_INXPECT_H */
