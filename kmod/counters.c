// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU perf counters and inxpect_kf_rdpmc().
 *
 * Slot k on CPU c is a pinned, counting perf event opened for c.  Readers
 * (BPF programs) run with interrupts disabled for the few instructions of a
 * read, which makes the read an RCU read-side critical section; writers
 * (ioctl, CPU hotplug, unload) serialise on inxpect_lock, unpublish, wait
 * for a grace period, and only then release.  So a reader never touches a
 * released event.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/btf.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/perf_event.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/perf_event.h>

#include "inxpect_kmod.h"

struct inxpect_cpu {
	struct perf_event *owned[INXPECT_MAX_EVENTS];    /* under inxpect_lock */
	struct perf_event __rcu *rd[INXPECT_MAX_EVENTS]; /* readable with rdpmc */
};

static DEFINE_PER_CPU(struct inxpect_cpu, inxpect_cpu);
static DEFINE_MUTEX(inxpect_lock);
/* The configuration in effect (nr_events, flags, ev[]), under inxpect_lock. */
static struct inxpect_kmod_config inxpect_cfg;
/* Open files of /dev/inxpect that hold it: the counters go when the last
 * one is closed, so a process that dies for any reason releases them. */
static u32 inxpect_users;
static int inxpect_hp_state = -1;

/*
 * RDPMC behind an exception-table entry: if it faults (#GP for an index the
 * CPU does not have, #UD where the CPU or emulator has no PMC at all), the
 * fixup skips it and sets err to -EFAULT instead of oopsing.  The read path
 * only executes it for an event perf has active on this CPU, so this is a
 * backstop, not the check.
 */
static __always_inline int inxpect_rdpmc_guarded(u32 idx, u64 *val)
{
	u32 lo, hi;
	int err;

	/* clang-format would split "%[err]" in the macro argument. */
	/* clang-format off */
	asm volatile("1: rdpmc\n\t"
		     "xor %[err], %[err]\n"
		     "2:\n\t"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_EFAULT_REG, %[err])
		     : [err] "=r"(err), "=a"(lo), "=d"(hi)
		     : "c"(idx));
	/* clang-format on */
	if (!err)
		*val = lo | (u64)hi << 32;
	return err;
}

/*
 * Whether perf has @ev counting on this CPU now, so that
 * hw.event_base_rdpmc is the index perf assigned (the one a perf user page
 * would show as index - 1).  Interrupts are off: perf schedules events in
 * and out from IPIs and timers, so this cannot change before the RDPMC.
 */
static __always_inline bool inxpect_counting_here(struct perf_event *ev)
{
	return READ_ONCE(ev->state) == PERF_EVENT_STATE_ACTIVE &&
	       READ_ONCE(ev->oncpu) == smp_processor_id() && ev->hw.idx >= 0 &&
	       ev->hw.idx < INTEL_PMC_IDX_METRIC_BASE && !(ev->hw.state & PERF_HES_STOPPED);
}

__bpf_kfunc_start_defs();

/* Counter slot @slot on this CPU (raw, INXPECT_PMC_BITS wide), or
 * INXPECT_BAD_READ.  For the section kfuncs too. */
notrace u64 inxpect_read_pmc(u32 slot)
{
	struct perf_event *ev;
	unsigned long flags;
	u64 val = INXPECT_BAD_READ;

	if (unlikely(slot >= INXPECT_MAX_EVENTS))
		return INXPECT_BAD_READ;
	slot = array_index_nospec(slot, INXPECT_MAX_EVENTS);
	local_irq_save(flags);
	ev = rcu_dereference_sched(this_cpu_ptr(&inxpect_cpu)->rd[slot]);
	if (ev && inxpect_counting_here(ev))
		inxpect_rdpmc_guarded(ev->hw.event_base_rdpmc, &val);
	local_irq_restore(flags);
	return val;
}

__bpf_kfunc notrace u64 inxpect_kf_rdpmc(u32 slot)
{
	return inxpect_read_pmc(slot);
}

__bpf_kfunc_end_defs();

void inxpect_guard_selftest(void)
{
	unsigned long flags;
	u64 val = 0;
	int err;

	local_irq_save(flags);
	err = inxpect_rdpmc_guarded(0, &val);
	local_irq_restore(flags);
	if (err)
		pr_info("guard selftest: rdpmc faulted and was recovered (%d)\n", err);
	else
		pr_info("guard selftest: rdpmc did not fault (PMU present)\n");
}

/* Only core PMU counters (perf_hw_context) are readable with RDPMC;
 * software, uncore and IBS events are not. */
static bool inxpect_rdpmc_capable(struct perf_event *ev)
{
	return ev->pmu->task_ctx_nr == perf_hw_context;
}

static int inxpect_open(const struct inxpect_kmod_event *e, int cpu, u32 cfg_flags,
			struct perf_event **out)
{
	struct perf_event_attr attr = {
		.type = e->type,
		.size = sizeof(attr),
		.config = e->config,
		/* Never multiplexed: a multiplexed counter would change index
		 * and stop counting between START and END. */
		.pinned = 1,
	};
	struct perf_event *ev;

	ev = perf_event_create_kernel_counter(&attr, cpu, NULL, NULL, NULL);
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	if (!inxpect_rdpmc_capable(ev) && !(cfg_flags & INXPECT_KMOD_CFG_ALLOW_UNREADABLE)) {
		perf_event_release_kernel(ev);
		return -EOPNOTSUPP;
	}
	/* A pinned event that finds no free counter goes to ERROR. */
	if (READ_ONCE(ev->state) == PERF_EVENT_STATE_ERROR) {
		perf_event_release_kernel(ev);
		return -EBUSY;
	}
	*out = ev;
	return 0;
}

static void inxpect_publish(int cpu, u32 slot, struct perf_event *ev)
{
	struct inxpect_cpu *c = per_cpu_ptr(&inxpect_cpu, cpu);

	c->owned[slot] = ev;
	if (ev && inxpect_rdpmc_capable(ev))
		rcu_assign_pointer(c->rd[slot], ev);
}

/* Unpublishes every slot of @cpu (all CPUs for -1), waits until no reader
 * can still see them, and releases them.  Under inxpect_lock. */
static void inxpect_release(int cpu)
{
	int c;
	u32 k;

	for_each_possible_cpu(c) {
		if (cpu >= 0 && c != cpu)
			continue;
		for (k = 0; k < INXPECT_MAX_EVENTS; k++)
			RCU_INIT_POINTER(per_cpu_ptr(&inxpect_cpu, c)->rd[k], NULL);
	}
	synchronize_rcu();
	for_each_possible_cpu(c) {
		struct inxpect_cpu *pc = per_cpu_ptr(&inxpect_cpu, c);

		if (cpu >= 0 && c != cpu)
			continue;
		for (k = 0; k < INXPECT_MAX_EVENTS; k++) {
			if (pc->owned[k])
				perf_event_release_kernel(pc->owned[k]);
			pc->owned[k] = NULL;
		}
	}
}

int inxpect_counters_validate(const struct inxpect_kmod_config *cfg)
{
	u32 k;

	if (cfg->nr_events > INXPECT_MAX_EVENTS || cfg->reserved ||
	    (cfg->flags & ~INXPECT_KMOD_CFG_ALLOW_UNREADABLE))
		return -EINVAL;
	for (k = 0; k < cfg->nr_events; k++)
		if (cfg->ev[k].flags)
			return -EINVAL;
	return 0;
}

/* Opens cfg's counters on every online CPU, all or nothing.  Under
 * cpus_read_lock and inxpect_lock. */
static int inxpect_counters_open(struct inxpect_kmod_config *cfg)
{
	int err, cpu, first_err = 0;
	u32 k;

	inxpect_release(-1);
	inxpect_cfg.nr_events = 0;
	for (k = 0; k < cfg->nr_events; k++) {
		for_each_online_cpu(cpu) {
			struct perf_event *ev;

			err = inxpect_open(&cfg->ev[k], cpu, cfg->flags, &ev);
			if (err) {
				cfg->err[k] = err;
				if (!first_err)
					first_err = err;
				break;
			}
			inxpect_publish(cpu, k, ev);
		}
	}
	if (first_err) {
		inxpect_release(-1);
	} else {
		inxpect_cfg.nr_events = cfg->nr_events;
		inxpect_cfg.flags = cfg->flags;
		memcpy(inxpect_cfg.ev, cfg->ev, sizeof(cfg->ev));
	}
	return first_err;
}

static bool inxpect_same_events(const struct inxpect_kmod_config *a,
				const struct inxpect_kmod_config *b)
{
	return a->nr_events == b->nr_events && a->flags == b->flags &&
	       !memcmp(a->ev, b->ev, a->nr_events * sizeof(a->ev[0]));
}

/*
 * The counters a file asks for.  The first file configures them; others
 * share them if they ask for the same events, and get EBUSY otherwise (one
 * process never silently replaces another's events).  A file alone may
 * change them; nr_events = 0 gives its hold back.
 */
int inxpect_counters_set(struct inxpect_kmod_config *cfg, bool *held)
{
	int err;

	err = inxpect_counters_validate(cfg);
	if (err)
		return err;
	memset(cfg->err, 0, sizeof(cfg->err));

	/* Hotplug lock first, as the cpuhp callbacks (which take inxpect_lock
	 * with it held) do. */
	cpus_read_lock();
	mutex_lock(&inxpect_lock);
	if (!cfg->nr_events) {
		if (*held && !--inxpect_users) {
			inxpect_release(-1);
			inxpect_cfg.nr_events = 0;
		}
		*held = false;
	} else if (inxpect_users > (*held ? 1 : 0)) {
		if (!inxpect_same_events(cfg, &inxpect_cfg)) {
			err = -EBUSY;
		} else if (!*held) {
			inxpect_users++;
			*held = true;
		}
	} else {
		err = inxpect_counters_open(cfg);
		if (!err && !*held) {
			inxpect_users++;
			*held = true;
		} else if (err && *held) {
			inxpect_users--;
			*held = false;
		}
	}
	cfg->nr_slots = inxpect_cfg.nr_events;
	mutex_unlock(&inxpect_lock);
	cpus_read_unlock();
	return err;
}

/* A file holding the counters was closed. */
void inxpect_counters_put(void)
{
	cpus_read_lock();
	mutex_lock(&inxpect_lock);
	if (!--inxpect_users) {
		inxpect_release(-1);
		inxpect_cfg.nr_events = 0;
	}
	mutex_unlock(&inxpect_lock);
	cpus_read_unlock();
}

void inxpect_counters_info(struct inxpect_kmod_info *info)
{
	struct x86_pmu_capability cap;
	int cpu;

	memset(info, 0, sizeof(*info));
	info->abi_version = INXPECT_KMOD_ABI_VERSION;
	info->max_events = INXPECT_MAX_EVENTS;
	if (boot_cpu_has(X86_FEATURE_HYBRID_CPU)) {
		/* perf_get_x86_pmu_capability() WARNs on hybrid CPUs, whose
		 * core types differ in counters: report presence only. */
		info->pmu_present = boot_cpu_has(X86_FEATURE_ARCH_PERFMON);
	} else {
		perf_get_x86_pmu_capability(&cap);
		info->pmu_present = cap.num_counters_gp > 0;
		info->pmu_gp_counters = max(cap.num_counters_gp, 0);
		info->pmu_fixed_counters = max(cap.num_counters_fixed, 0);
		info->pmu_counter_bits = max(cap.bit_width_gp, 0);
	}
	cpus_read_lock();
	mutex_lock(&inxpect_lock);
	info->nr_slots = inxpect_cfg.nr_events;
	info->cfg_flags = inxpect_cfg.flags;
	info->users = inxpect_users;
	memcpy(info->ev, inxpect_cfg.ev, sizeof(info->ev));
	for_each_online_cpu(cpu) {
		struct inxpect_cpu *pc = per_cpu_ptr(&inxpect_cpu, cpu);
		u32 k;

		info->cpus_online++;
		for (k = 0; k < inxpect_cfg.nr_events && pc->owned[k]; k++)
			;
		if (k == inxpect_cfg.nr_events)
			info->cpus_ready++;
	}
	mutex_unlock(&inxpect_lock);
	cpus_read_unlock();
}

/* A CPU came online: give it the configured counters.  A failure leaves
 * that slot reading INXPECT_BAD_READ on that CPU; it must not block the
 * hotplug. */
static int inxpect_cpu_online(unsigned int cpu)
{
	u32 k;

	mutex_lock(&inxpect_lock);
	for (k = 0; k < inxpect_cfg.nr_events; k++) {
		struct perf_event *ev;
		int err = inxpect_open(&inxpect_cfg.ev[k], cpu, inxpect_cfg.flags, &ev);

		if (err) {
			pr_warn("CPU %u: slot %u unavailable: %d\n", cpu, k, err);
			continue;
		}
		inxpect_publish(cpu, k, ev);
	}
	mutex_unlock(&inxpect_lock);
	return 0;
}

static int inxpect_cpu_offline(unsigned int cpu)
{
	mutex_lock(&inxpect_lock);
	inxpect_release(cpu);
	mutex_unlock(&inxpect_lock);
	return 0;
}

int inxpect_counters_init(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "inxpect:online", inxpect_cpu_online,
				inxpect_cpu_offline);
	if (ret < 0)
		return ret;
	inxpect_hp_state = ret;
	return 0;
}

/* Also the error path of init.  The teardown callbacks release every
 * online CPU's counters; offline CPUs hold none. */
void inxpect_counters_exit(void)
{
	if (inxpect_hp_state >= 0)
		cpuhp_remove_state(inxpect_hp_state);
	inxpect_hp_state = -1;
	inxpect_cfg.nr_events = 0;
}
