// SPDX-License-Identifier: GPL-2.0
/*
 * inxpect.ko: counter-reading kfuncs for InXpect-instrumented BPF programs.
 *
 * The kfuncs are what include/inxpect/inxpect.h calls when the loader
 * selects INXPECT_SRC_KF_TSC or INXPECT_SRC_KF_PMC.  Any read that cannot
 * be done returns INXPECT_BAD_READ, which the BPF side records as "bad".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/init.h>
#include <linux/module.h>
#include <asm/msr.h>

#include "inxpect_kmod.h"

#ifndef CONFIG_X86_64
#error "inxpect.ko reads x86 TSC and PMCs"
#endif

static bool guard_selftest;
module_param(guard_selftest, bool, 0444);
MODULE_PARM_DESC(guard_selftest,
		 "test only: run one guarded rdpmc at load to prove the fault fixup works");

__bpf_kfunc_start_defs();

/*
 * rdtsc_ordered(): LFENCE (or RDTSCP) before RDTSC, so the read does not
 * start before the instructions ahead of it have completed.  Without it an
 * out-of-order core may read the TSC early at START or late at END and
 * the section would absorb or lose work around it.  notrace: no ftrace
 * entry nop inside every measurement.
 */
__bpf_kfunc notrace u64 inxpect_kf_rdtsc(void)
{
	return rdtsc_ordered();
}

/* inxpect_kf_rdpmc() lives in counters.c, next to the state it reads. */

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(inxpect_kfunc_ids)
BTF_ID_FLAGS(func, inxpect_kf_rdtsc)
BTF_ID_FLAGS(func, inxpect_kf_rdpmc)
BTF_ID_FLAGS(func, inxpect_kf_start)
BTF_ID_FLAGS(func, inxpect_kf_end)
BTF_ID_FLAGS(func, inxpect_kf_start_on)
BTF_ID_FLAGS(func, inxpect_kf_end_on)
BTF_ID_FLAGS(func, inxpect_kf_start_ev)
BTF_ID_FLAGS(func, inxpect_kf_end_ev)
BTF_ID_FLAGS(func, inxpect_kf_hstart)
BTF_ID_FLAGS(func, inxpect_kf_hend)
BTF_ID_FLAGS(func, inxpect_kf_lstart)
BTF_ID_FLAGS(func, inxpect_kf_lend)
BTF_ID_FLAGS(func, inxpect_kf_lstart_on)
BTF_ID_FLAGS(func, inxpect_kf_lend_on)
BTF_KFUNCS_END(inxpect_kfunc_ids)

static const struct btf_kfunc_id_set inxpect_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &inxpect_kfunc_ids,
};

/* Program types that may call the kfuncs.  Tracing: fentry/fexit, so the
 * bench's comparison profiler reads the same clock as InXpect. */
static const struct {
	enum bpf_prog_type type;
	const char *name;
} inxpect_prog_types[] = {
	{ BPF_PROG_TYPE_XDP, "XDP" },
	{ BPF_PROG_TYPE_SCHED_CLS, "TC" },
	{ BPF_PROG_TYPE_TRACING, "tracing" },
};

static int __init inxpect_init(void)
{
	unsigned int i;
	int err;

	err = inxpect_sections_init();
	if (err)
		return err;
	err = inxpect_counters_init();
	if (err) {
		pr_err("CPU hotplug state setup failed: %d\n", err);
		inxpect_sections_exit();
		return err;
	}
	/*
	 * Kfunc sets cannot be unregistered; if a later step fails, the failed
	 * init unloads the module and its BTF with them.
	 */
	for (i = 0; i < ARRAY_SIZE(inxpect_prog_types); i++) {
		err = register_btf_kfunc_id_set(inxpect_prog_types[i].type, &inxpect_kfunc_set);
		if (err) {
			pr_err("registering kfuncs for %s failed: %d\n", inxpect_prog_types[i].name,
			       err);
			goto err_counters;
		}
	}
	err = inxpect_ctl_init();
	if (err) {
		pr_err("registering %s failed: %d\n", INXPECT_KMOD_DEVICE, err);
		goto err_counters;
	}
	if (guard_selftest)
		inxpect_guard_selftest();
	pr_info("kfuncs registered for XDP, TC and tracing, control at %s\n", INXPECT_KMOD_DEVICE);
	return 0;

err_counters:
	inxpect_counters_exit();
	inxpect_sections_exit();
	return err;
}

/*
 * Runs only when no program holds the module: the verifier takes a module
 * reference for every program that calls one of our kfuncs, and drops it
 * after the program is freed (after an RCU grace period), so no kfunc can
 * be running here.
 */
static void __exit inxpect_exit(void)
{
	inxpect_ctl_exit();
	inxpect_counters_exit();
	inxpect_sections_exit();
}

module_init(inxpect_init);
module_exit(inxpect_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("InXpect: TSC and PMC reading kfuncs for BPF programs");
