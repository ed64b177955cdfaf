// SPDX-License-Identifier: GPL-2.0
/*
 * The section kfuncs: what inxpect.h's macros call in module mode
 * (INXPECT_MODE_KMOD).  They keep a CPU's open sections here, read the
 * counters natively and add each measurement to the program's own state
 * map (abi.h), so user space reads the same layout whichever side measured.
 *
 *   inxpect_kf_start(arg)            opens section `slot` (arg: INXPECT_KF_*)
 *   inxpect_kf_end(map, skip)        closes the innermost one, adds it to map
 *   inxpect_kf_start_on / _end_on    the same if `on` (sections in loops)
 *   inxpect_kf_start_ev / _end_ev    the same reading ctl's events (PMCs,
 *                                    several events): the general path
 *   inxpect_kf_hstart / _hend        hand-written sections, paired by token
 *   inxpect_kf_lstart / _lend (_on)  the lean probe: no paths, no stack
 *
 * A measured run begins with a START carrying INXPECT_KF_ROOT: nothing is
 * open then, whatever an earlier run left (a tail call never ends its
 * sections).  The BPF code draws the sampling and calls nothing for runs
 * it does not measure.
 *
 * Nothing here may fault whatever a program passes or in whatever order it
 * calls: only the kfuncs that write a map touch one, and each is given
 * that map, which the verifier keeps alive for the call; it is checked
 * against the cached binding by map id (never reused while the map exists)
 * and bound only if it is what abi.h describes; every index into it is
 * masked; controls are read only through the pointer a call was given;
 * the stack depth is checked before each access.  Runs do not nest on a
 * CPU (XDP and TC run with bottom halves disabled), so one stack per CPU
 * serves every program.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <asm/msr.h>

#include "inxpect_kmod.h"

struct inxpect_open {
	u64 key;
	u64 start; /* event 0 */
};

/* Per CPU; small enough for the modules' static per-CPU area. */
struct inxpect_run {
	u32 depth;  /* open sections; stk[0] is "none" */
	u32 flags;  /* INXPECT_KF_NO_* of the run */
	u32 map_id; /* the bound state map; 0: none */
	u32 mask;   /* its elements - 1 */
	void __percpu *const *pptrs;
	struct inxpect_open stk[INXPECT_MAX_DEPTH];
};

/* Per CPU, out of the hot structure: more events, hand-written tokens. */
struct inxpect_run_more {
	u64 gen;
	u64 tick, rng; /* hand-written runs' sampling, drawn as inxpect.h does */
	u32 on;
	u64 tok[INXPECT_MAX_DEPTH];
	u32 slot[INXPECT_MAX_DEPTH];
	u64 start[INXPECT_MAX_DEPTH][INXPECT_MAX_EVENTS - 1];
};

static DEFINE_PER_CPU(struct inxpect_run, inxpect_run);
static struct inxpect_run_more __percpu *inxpect_more;

/* A START's read of the TSC, as rdtsc_ordered() reads it, but with its
 * halves left apart (two stores, not a shift, an or and a store) and
 * RDTSCP chosen by a branch rather than an alternative, whose padding
 * would follow it: what follows the read is inside the measurement. */
static __always_inline void inxpect_start_tsc(u32 *lo, u32 *hi)
{
	if (static_cpu_has(X86_FEATURE_RDTSCP))
		asm volatile("rdtscp" : "=a"(*lo), "=d"(*hi) : : "ecx");
	else
		asm volatile(ALTERNATIVE("rdtsc", "lfence; rdtsc", X86_FEATURE_LFENCE_RDTSC)
			     : "=a"(*lo), "=d"(*hi));
}

/* An END's read, the TSC's low half: rdtsc_ordered()'s alternatives, whose
 * padding follows the read and so lies outside the measurement.  *arg
 * (the kfunc's first argument) is tied to its register, so that the
 * compiler copies nothing before the read. */
static __always_inline u32 inxpect_end_tsc_lo(void **arg)
{
	u32 lo, hi;

	asm volatile(ALTERNATIVE_2("rdtsc", "lfence; rdtsc", X86_FEATURE_LFENCE_RDTSC, "rdtscp",
				   X86_FEATURE_RDTSCP)
		     : "=a"(lo), "=d"(hi), "+D"(*arg)
		     :
		     : "ecx");
	return lo;
}

static __always_inline struct inxpect_node *inxpect_elem(struct inxpect_run *r, u64 i)
{
	return this_cpu_ptr(r->pptrs[i & r->mask]);
}

static __always_inline struct inxpect_hdr *inxpect_hdr(struct inxpect_run *r)
{
	return (struct inxpect_hdr *)inxpect_elem(r, 0);
}

/* Binds `map` as the state map; false when it is not what abi.h describes. */
static noinline bool inxpect_bind(struct inxpect_run *r, struct bpf_map *map)
{
	r->map_id = 0;
	if (map->map_type != BPF_MAP_TYPE_PERCPU_ARRAY || map->key_size != sizeof(u32) ||
	    map->value_size != sizeof(struct inxpect_node) || map->max_entries < 2 ||
	    !is_power_of_2(map->max_entries))
		return false;
	r->pptrs = container_of(map, struct bpf_array, map)->pptrs;
	r->mask = map->max_entries - 1;
	r->map_id = map->id;
	return true;
}

static __always_inline bool inxpect_bound(struct inxpect_run *r, struct bpf_map *map)
{
	return likely(map->id == r->map_id) || inxpect_bind(r, map);
}

/* Event e of the controls `ctl` (the general path). */
static u64 inxpect_read(const struct inxpect_ctl *ctl, u32 e)
{
	switch (READ_ONCE(ctl->src[e])) {
	case INXPECT_SRC_KF_TSC:
		return rdtsc_ordered();
	case INXPECT_SRC_KF_PMC:
		return inxpect_read_pmc(READ_ONCE(ctl->pmc_slot[e]));
	}
	return INXPECT_BAD_READ;
}

static u32 inxpect_nr_events(const struct inxpect_ctl *ctl)
{
	u32 n = READ_ONCE(ctl->nr_events);

	return clamp_t(u32, n, 1, INXPECT_MAX_EVENTS);
}

/* Opens section `slot` at the next depth, or at depth 1 when the run
 * begins; returns the depth, >= INXPECT_MAX_DEPTH when too deep. */
static __always_inline u32 inxpect_open(struct inxpect_run *r, u32 arg)
{
	u32 d = r->depth + 1;
	u64 parent;

	if (arg & INXPECT_KF_ROOT) {
		r->flags = arg;
		/* The run begins with no section of its own. */
		d = (arg & INXPECT_KF_SLOT) == INXPECT_KF_SLOT ? 0 : 1;
		r->depth = d;
		if (!d)
			return INXPECT_MAX_DEPTH;
	}
	r->depth = d;
	/* One test for too deep and for d wrapped to 0 (2^32 STARTs left
	 * open with no run begun: the stack starts over, and stk[d - 1] is
	 * never read at index 2^32 - 1). */
	if (unlikely(d - 1 >= INXPECT_MAX_DEPTH - 1))
		return d ? d : INXPECT_MAX_DEPTH;
	parent = arg & (INXPECT_KF_ROOT | INXPECT_KF_NO_PATHS) ? 0 : r->stk[d - 1].key;
	r->stk[d].key = parent * INXPECT_PATH_MUL + (arg & INXPECT_KF_SLOT) + 1;
	return d;
}

/* Path `key`'s element when its home is taken: one of the next three, a
 * step apart, the step being the key's high half (odd), as inxpect.h
 * chooses its second; a free one is claimed.  NULL when all are taken,
 * and the measurement is counted as lost.  (Siblings have consecutive keys with one high half: a step of one would
 * send a group of them into the neighbouring group's elements.) */
static noinline struct inxpect_node *inxpect_claim(struct inxpect_run *r, u64 key, u64 parent,
						   u32 d)
{
	u32 i;

	for (i = 0; i < 4; i++) {
		u64 at = (key + i * ((key >> 32) | 1)) & r->mask;
		struct inxpect_node *n = inxpect_elem(r, at);

		if (!at)
			continue;
		if (n->key == key)
			return n;
		if (!n->key) {
			n->key = key;
			n->parent = parent;
			n->slot = (u32)(key - 1 - parent * INXPECT_PATH_MUL);
			n->depth = d;
			return n;
		}
	}
	inxpect_hdr(r)->lost++;
	return NULL;
}

/* Closes the innermost section; its element, or NULL (not recorded). */
static __always_inline struct inxpect_node *inxpect_close(struct inxpect_run *r,
							  struct bpf_map *map, u32 skip, u32 *depth)
{
	u32 d = r->depth;
	struct inxpect_node *n;

	if (unlikely(!d))
		return NULL;
	r->depth = d - 1;
	*depth = d;
	if (skip || unlikely(!inxpect_bound(r, map)))
		return NULL;
	if (unlikely(d >= INXPECT_MAX_DEPTH)) {
		inxpect_hdr(r)->overflow++;
		return NULL;
	}
	n = inxpect_elem(r, r->stk[d].key);
	if (likely(n->key == r->stk[d].key))
		return n;
	return inxpect_claim(r, r->stk[d].key,
			     d > 1 && !(r->flags & INXPECT_KF_NO_PATHS) ? r->stk[d - 1].key : 0, d);
}

static __always_inline void inxpect_add(struct inxpect_node *n, u32 e, u64 dl)
{
	n->sum[e] += dl;
	if (~dl > n->inv_min[e])
		n->inv_min[e] = ~dl;
	if (dl > n->max[e])
		n->max[e] = dl;
}

static __always_inline void inxpect_hist(struct inxpect_run *r, struct inxpect_node *n, u64 dl)
{
	if (!(r->flags & INXPECT_KF_NO_HIST))
		n->hist[inxpect_hist_bucket(dl, dl >= 4 ? fls64(dl) - 1 : 0)]++;
}

static void inxpect_start_ev(const struct inxpect_ctl *ctl, u32 arg)
{
	struct inxpect_run *r = this_cpu_ptr(&inxpect_run);
	u32 d = inxpect_open(r, arg), e;
	u64 *more;

	if (d >= INXPECT_MAX_DEPTH)
		return;
	more = this_cpu_ptr(inxpect_more)->start[d];
	for (e = inxpect_nr_events(ctl) - 1; e > 0; e--)
		more[e - 1] = inxpect_read(ctl, e);
	r->stk[d].start = inxpect_read(ctl, 0);
}

static void inxpect_end_ev(struct bpf_map *map, const struct inxpect_ctl *ctl, u32 skip)
{
	struct inxpect_run *r = this_cpu_ptr(&inxpect_run);
	u64 now[INXPECT_MAX_EVENTS], dl[INXPECT_MAX_EVENTS], *more;
	u32 n = inxpect_nr_events(ctl), e, d;
	struct inxpect_node *node;
	bool ok = true;

	for (e = 0; e < n; e++)
		now[e] = inxpect_read(ctl, e);
	node = inxpect_close(r, map, skip, &d);
	if (!node)
		return;
	more = this_cpu_ptr(inxpect_more)->start[d];
	ok = inxpect_pmc_delta(now[0], r->stk[d].start, &dl[0]);
	for (e = 1; e < n; e++)
		ok &= inxpect_pmc_delta(now[e], more[e - 1], &dl[e]);
	if (!ok) {
		node->bad++;
		return;
	}
	node->count++;
	for (e = 0; e < n; e++)
		inxpect_add(node, e, dl[e]);
	inxpect_hist(r, node, dl[0]);
}

/* A hand-written run's sampling draw, as inxpect.h's __inxpect_draw().
 * The countdown is this CPU's, shared by every program: one measuring
 * every run must not wait out the interval another one drew. */
static bool inxpect_draw(struct inxpect_run_more *m, u32 rate)
{
	u64 x;

	if (rate <= 1)
		return true;
	if ((s64)--m->tick > 0)
		return false;
	x = m->rng ? m->rng : 0x9E3779B97F4A7C15ULL;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	m->rng = x;
	m->tick = 1 + x % (2 * (u64)rate - 1);
	return true;
}

__bpf_kfunc_start_defs();

/* One event, the TSC: the fast path.  Read last at START, first at END,
 * so that as little of the kfuncs as possible is inside a measurement. */
__bpf_kfunc notrace void inxpect_kf_start(u32 arg)
{
	struct inxpect_run *r = this_cpu_ptr(&inxpect_run);
	u32 d = inxpect_open(r, arg), lo, hi, *at;

	if (likely(d < INXPECT_MAX_DEPTH)) {
		at = (u32 *)&r->stk[d].start;
		asm volatile("" : "+r"(at));
		inxpect_start_tsc(&lo, &hi);
		at[0] = lo; /* little-endian: the u64 start */
		at[1] = hi;
	}
}

/* END's cases off the fast path: nothing open, skipped, another map,
 * too deep, a path without its element yet. */
static noinline __cold void inxpect_end_slow(struct bpf_map *map, u32 skip, u64 now)
{
	struct inxpect_run *r = this_cpu_ptr(&inxpect_run);
	struct inxpect_node *n;
	u64 dl;
	u32 d;

	n = inxpect_close(r, map, skip, &d);
	if (!n)
		return;
	dl = now - r->stk[d].start;
	n->count++;
	inxpect_add(n, 0, dl);
	inxpect_hist(r, n, dl);
}

__bpf_kfunc notrace void inxpect_kf_end(void *state__map, u32 skip)
{
	u64 now = rdtsc_ordered(), key, dl;
	struct inxpect_run *r = this_cpu_ptr(&inxpect_run);
	struct bpf_map *map = state__map;
	u32 d = r->depth;
	struct inxpect_node *n;

	if (unlikely(d - 1 >= INXPECT_MAX_DEPTH - 1 || skip || map->id != r->map_id))
		return inxpect_end_slow(map, skip, now);
	key = r->stk[d].key;
	n = this_cpu_ptr(r->pptrs[key & r->mask]);
	if (unlikely(n->key != key))
		return inxpect_end_slow(map, skip, now);
	r->depth = d - 1;
	dl = now - r->stk[d].start;
	n->count++;
	inxpect_add(n, 0, dl);
	inxpect_hist(r, n, dl);
}

/* Sections in loops: the BPF code passes the run's decision instead of
 * branching on it (see inxpect.h). */
__bpf_kfunc notrace void inxpect_kf_start_on(u32 arg, u64 on)
{
	if (on)
		inxpect_kf_start(arg);
}

__bpf_kfunc notrace void inxpect_kf_end_on(void *state__map, u32 skip, u64 on)
{
	if (on)
		inxpect_kf_end(state__map, skip);
}

__bpf_kfunc notrace void inxpect_kf_start_ev(void *ctl, u32 ctl__sz, u32 arg, u64 on)
{
	if (on && ctl__sz >= sizeof(struct inxpect_ctl))
		inxpect_start_ev(ctl, arg);
}

__bpf_kfunc notrace void inxpect_kf_end_ev(void *state__map, void *ctl, u32 ctl__sz, u32 skip,
					   u64 on)
{
	if (on && ctl__sz >= sizeof(struct inxpect_ctl))
		inxpect_end_ev(state__map, ctl, skip);
}

/*
 * Hand-written sections, as inxpect.h's __inxpect_hstart/_hend do them: a
 * token (sequence number, stack index) pairs an END with its own START.
 * They read the events from the controls, like the general path.
 */
#define INXPECT_TOK_BITS 5           /* log2(INXPECT_MAX_DEPTH) */
#define INXPECT_TOK_OFF (1ULL << 63) /* a section of a run not measured */

__bpf_kfunc notrace u64 inxpect_kf_hstart(void *ctl, u32 ctl__sz, u32 arg)
{
	struct inxpect_run *r = this_cpu_ptr(&inxpect_run);
	struct inxpect_run_more *m = this_cpu_ptr(inxpect_more);
	u32 d = r->depth, slot = arg & INXPECT_KF_SLOT;
	const struct inxpect_ctl *c = ctl;

	if (ctl__sz < sizeof(*c))
		return 0;
	if (d >= INXPECT_MAX_DEPTH - 1)
		d = 0;
	else if (d && m->tok[d] && m->slot[d] == slot)
		d--;
	r->depth = d;
	if (!d)
		m->on = inxpect_draw(m, READ_ONCE(c->sample_rate));
	if (!m->on) {
		/* Opened all the same, so that the sections inside it know. */
		r->depth = ++d;
		m->tok[d] = (++m->gen << INXPECT_TOK_BITS) | d | INXPECT_TOK_OFF;
		m->slot[d] = slot;
		return m->tok[d];
	}
	inxpect_start_ev(c, d ? slot
			      : slot | INXPECT_KF_ROOT |
					    (r->flags & ~INXPECT_KF_SLOT & ~INXPECT_KF_ROOT));
	d = r->depth;
	if (d >= INXPECT_MAX_DEPTH)
		return 0;
	m->tok[d] = (++m->gen << INXPECT_TOK_BITS) | d;
	m->slot[d] = slot;
	return m->tok[d];
}

__bpf_kfunc notrace void inxpect_kf_hend(void *state__map, void *ctl, u32 ctl__sz, u64 tok)
{
	struct inxpect_run *r = this_cpu_ptr(&inxpect_run);
	struct inxpect_run_more *m = this_cpu_ptr(inxpect_more);
	u32 d = tok & (INXPECT_MAX_DEPTH - 1), n;
	const struct inxpect_ctl *c = ctl;

	if (!tok || ctl__sz < sizeof(*c))
		return;
	if (!d || d > r->depth || m->tok[d] != tok) {
		if (inxpect_bound(r, state__map))
			inxpect_hdr(r)->unmatched++;
		return;
	}
	m->tok[d] = 0;
	r->depth = d;
	if (tok & INXPECT_TOK_OFF) {
		r->depth = d - 1;
		return;
	}
	n = ctl__sz - sizeof(*c);
	inxpect_end_ev(state__map, c,
		       m->slot[d] < n &&
			       READ_ONCE(((const u8 *)(c + 1))[array_index_nospec(m->slot[d], n)]));
}

/*
 * The lean probe (INXPECT_MODE_KMOD_LEAN): START keeps the TSC's low half
 * in this CPU's entry for the slot, END takes it back (0: no START ran
 * since, so nothing is recorded) and adds count, sum, min and max to the
 * element of path slot + 1, the key a section at top level has.  No run,
 * no stack, no histogram: the least the BPF side can call.
 *
 * The low half alone: a delta taken modulo 2^32 is exact for sections
 * shorter than 2^32 ticks (over a second at any TSC rate, where an XDP or
 * TC program never stays), and it saves a store at START and the joining
 * of the halves at END.  A START that reads a low half of 0 (once in 2^32)
 * records nothing.  Slots of two objects share an entry only if their
 * programs nest on one CPU: a START of one overwrites the other's, and
 * one of the two measurements is dropped, never mixed.
 */
#define INXPECT_LEAN_SLOTS 4096 /* a power of two; slots alias beyond it */

struct inxpect_lean {
	u32 start[INXPECT_LEAN_SLOTS];
};
static struct inxpect_lean __percpu *inxpect_lean;

/* The TSC last, closest to the section's code: after the read, one store
 * and the return are all of START that a measurement holds. */
__bpf_kfunc notrace void inxpect_kf_lstart(u32 slot)
{
	u32 __percpu *at = &inxpect_lean->start[slot & (INXPECT_LEAN_SLOTS - 1)];
	u32 lo, hi;

	asm volatile("" : "+r"(at)); /* the address first, not after the read */
	inxpect_start_tsc(&lo, &hi);
	this_cpu_write(*at, lo);
}

/* END's cases off the fast path: another map, a section's first END on
 * this CPU, its element taken.  Tail-called, so that the fast path saves
 * no register. */
static noinline __cold void inxpect_lean_slow(struct bpf_map *map, u64 key, u64 dl)
{
	struct inxpect_run *r = this_cpu_ptr(&inxpect_run);
	struct inxpect_node *n;

	if (!inxpect_bound(r, map))
		return;
	n = inxpect_elem(r, key);
	/* Element 0, the header, has key 0. */
	if (n->key != key && !(n = inxpect_claim(r, key, 0, 1)))
		return;
	n->count++;
	inxpect_add(n, 0, dl);
}

/* The run's fields are read through %gs, one instruction each, rather
 * than through this CPU's address. */
__bpf_kfunc notrace void inxpect_kf_lend(void *state__map, u32 slot)
{
	u32 now = inxpect_end_tsc_lo(&state__map), i = slot & (INXPECT_LEAN_SLOTS - 1), start;
	u64 key = (u64)slot + 1, dl;
	struct bpf_map *map = state__map;
	struct inxpect_node *n;

	start = this_cpu_read(inxpect_lean->start[i]);
	if (unlikely(!start))
		return;
	this_cpu_write(inxpect_lean->start[i], 0);
	dl = (u32)(now - start);
	if (unlikely(map->id != this_cpu_read(inxpect_run.map_id)))
		return inxpect_lean_slow(map, key, dl);
	n = this_cpu_ptr(this_cpu_read(inxpect_run.pptrs)[key & this_cpu_read(inxpect_run.mask)]);
	if (unlikely(n->key != key))
		return inxpect_lean_slow(map, key, dl);
	n->count++;
	inxpect_add(n, 0, dl);
}

__bpf_kfunc notrace void inxpect_kf_lstart_on(u32 slot, u64 on)
{
	if (on)
		inxpect_kf_lstart(slot);
}

__bpf_kfunc notrace void inxpect_kf_lend_on(void *state__map, u32 slot, u64 on)
{
	if (on)
		inxpect_kf_lend(state__map, slot);
}

__bpf_kfunc_end_defs();

/* Until a run binds a map, the state points at one that nothing reads. */
static struct inxpect_node __percpu *inxpect_unbound;
static void __percpu *inxpect_unbound_pptrs[1];

int inxpect_sections_init(void)
{
	int cpu;

	inxpect_more = alloc_percpu(struct inxpect_run_more);
	inxpect_unbound = alloc_percpu(struct inxpect_node);
	inxpect_lean = alloc_percpu(struct inxpect_lean);
	if (!inxpect_more || !inxpect_unbound || !inxpect_lean) {
		free_percpu(inxpect_more);
		free_percpu(inxpect_unbound);
		free_percpu(inxpect_lean);
		return -ENOMEM;
	}
	inxpect_unbound_pptrs[0] = inxpect_unbound;
	for_each_possible_cpu(cpu)
		per_cpu_ptr(&inxpect_run, cpu)->pptrs = inxpect_unbound_pptrs;
	return 0;
}

void inxpect_sections_exit(void)
{
	free_percpu(inxpect_more);
	free_percpu(inxpect_unbound);
	free_percpu(inxpect_lean);
}
