/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause */
/*
 * Control interface of inxpect.ko, the module that gives XDP programs the
 * kfuncs inxpect_kf_rdtsc() and inxpect_kf_rdpmc(slot).
 *
 * The runtime opens /dev/inxpect (mode 0600, root) and:
 *
 *   1. INXPECT_KMOD_IOC_INFO: is there a hardware PMU, how many counters,
 *      which events are configured now.
 *   2. INXPECT_KMOD_IOC_SET_EVENTS: configure up to INXPECT_MAX_EVENTS
 *      events, given as perf_event_attr type + config.  The module opens
 *      one pinned counting event per online CPU per event (and per CPU that
 *      comes online later).  Slot k of inxpect_kf_rdpmc() is event k.
 *      The old counters are released first, so that the new ones can use
 *      the hardware counters they held.  All or nothing: if any event fails
 *      on any CPU, no slot is configured (nr_slots = 0), the call fails with
 *      errno = -err[k] of the first failing event, and err[] says which
 *      events failed and why (0 = that event was fine).
 *      Typical errors: ENOENT (no PMU, or no such event type), EBUSY (a
 *      pinned counter could not be scheduled), EOPNOTSUPP (event rdpmc
 *      cannot read, e.g. a software event).  Needs CAP_PERFMON or
 *      CAP_SYS_ADMIN (EPERM otherwise), like a CPU-wide perf event.
 *      A malformed request (nr_events > INXPECT_MAX_EVENTS, unknown or
 *      reserved bits set) fails with EINVAL before anything changes and
 *      leaves err[] as passed in: pass err[] zeroed, and a failure with
 *      err[] still all zero means the request itself was refused.
 *      nr_events = 0 releases all counters.
 *   3. INXPECT_KMOD_IOC_SET_EVENTS again at any time, also while programs
 *      run: the old counters are unpublished, an RCU grace period passes
 *      (so every program invocation that saw them has finished), and then
 *      the new ones are published.  Reads in between return
 *      INXPECT_BAD_READ (the BPF side counts them in inxpect_sec.bad), so a
 *      section never mixes two configurations.
 *
 * The counters belong to the open files that configured them: closing the
 * last one (a process exiting, however it exits) releases them.  A second
 * file asking for the same events shares them; asking for others, while
 * another file holds them, fails with EBUSY and changes nothing.  A file
 * that holds them alone may change them.  Programs name counter slot k in
 * their controls (abi.h: ctl.src[e] = INXPECT_SRC_KF_PMC, ctl.pmc_slot[e]
 * = k); a slot without a counter reads INXPECT_BAD_READ.
 *
 * Only fixed-width types, and every __u64 is 8-byte aligned, so the layout
 * is the same for 32- and 64-bit callers.
 */
#ifndef INXPECT_KMOD_UAPI_H
#define INXPECT_KMOD_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#include "inxpect/abi.h" /* INXPECT_MAX_EVENTS, INXPECT_BAD_READ */

#define INXPECT_KMOD_DEVICE "/dev/inxpect"
#define INXPECT_KMOD_ABI_VERSION 2

/* One event: the perf_event_attr fields that select it. */
struct inxpect_kmod_event {
	__u32 type;   /* perf_event_attr.type, e.g. PERF_TYPE_HARDWARE */
	__u32 flags;  /* must be 0 */
	__u64 config; /* perf_event_attr.config */
};

/*
 * Accept events that rdpmc cannot read (software events): their slots are
 * configured but always read as INXPECT_BAD_READ.  Exists so the per-CPU,
 * hotplug and reconfiguration machinery can be tested on machines without a
 * PMU; a profiler has no use for it.
 */
#define INXPECT_KMOD_CFG_ALLOW_UNREADABLE (1u << 0)

struct inxpect_kmod_config {
	__u32 nr_events;                                  /* in: 0..INXPECT_MAX_EVENTS */
	__u32 flags;                                      /* in: INXPECT_KMOD_CFG_* */
	struct inxpect_kmod_event ev[INXPECT_MAX_EVENTS]; /* in */
	__s32 err[INXPECT_MAX_EVENTS];                    /* out: 0 or -errno, per event */
	__u32 nr_slots;                                   /* out: slots configured after the call */
	__u32 reserved;                                   /* must be 0 */
};

struct inxpect_kmod_info {
	__u32 abi_version; /* INXPECT_KMOD_ABI_VERSION */
	__u32 max_events;  /* INXPECT_MAX_EVENTS */
	__u32 pmu_present; /* 1: a hardware PMU with counters exists */
	/* The next three are 0 when unknown (hybrid CPUs, whose core types
	 * have different counters). */
	__u32 pmu_gp_counters;    /* general-purpose counters per CPU */
	__u32 pmu_fixed_counters; /* fixed counters per CPU */
	__u32 pmu_counter_bits;   /* width of a general-purpose counter */
	__u32 nr_slots;           /* events configured now */
	__u32 cfg_flags;          /* INXPECT_KMOD_CFG_* of that configuration */
	__u32 cpus_online;        /* online CPUs */
	__u32 cpus_ready;         /* online CPUs holding every configured slot
				   * (fewer: a CPU that came online later
				   * could not get a counter; see dmesg) */
	struct inxpect_kmod_event ev[INXPECT_MAX_EVENTS]; /* the configuration */
	__u32 users;                                      /* open files holding it */
	__u32 reserved;
};

#define INXPECT_KMOD_IOC_MAGIC 0xB9
#define INXPECT_KMOD_IOC_INFO _IOR(INXPECT_KMOD_IOC_MAGIC, 0, struct inxpect_kmod_info)
#define INXPECT_KMOD_IOC_SET_EVENTS _IOWR(INXPECT_KMOD_IOC_MAGIC, 1, struct inxpect_kmod_config)

#endif /* INXPECT_KMOD_UAPI_H */
