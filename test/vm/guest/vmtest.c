// SPDX-License-Identifier: GPL-2.0
/*
 * inxpect-vmtest: the guest side of the VM tests (see docs/kmod.md).
 * Runs as root inside the QEMU guest, loads inxpect.ko, and the BPF object
 * through the runtime's loader (loader.h), and prints one line per test:
 *
 *   INXPECT-TEST <name> PASS|FAIL|SKIP <detail>
 *   INXPECT-MEASURE <key> <value> <unit>
 *
 * usage: inxpect-vmtest MODULE.ko OBJECT.bpf.o
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "inxpect/kmod_uapi.h"
#include "loader.h"

static const char *ko_path, *obj_path;
static int nr_fail;
static int module_loaded;
static void result(const char *name, const char *res, const char *fmt, ...)
{
	va_list ap;

	printf("INXPECT-TEST %s %s ", name, res);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!strcmp(res, "FAIL"))
		nr_fail++;
}

#define PASS(n, ...) result(n, "PASS", __VA_ARGS__)
#define FAIL(n, ...) result(n, "FAIL", __VA_ARGS__)
#define SKIP(n, ...) result(n, "SKIP", __VA_ARGS__)

static void measure(const char *key, double v, const char *unit)
{
	printf("INXPECT-MEASURE %s %.2f %s\n", key, v, unit);
	fflush(stdout);
}

/* ---- module and /dev/inxpect ---------------------------------------- */

static int mod_load(void)
{
	int fd = open(ko_path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	/* guard_selftest: one guarded rdpmc at load, see kmod/counters.c */
	ret = syscall(SYS_finit_module, fd, "guard_selftest=1", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int mod_unload(void)
{
	return syscall(SYS_delete_module, "inxpect", O_NONBLOCK) ? -errno : 0;
}

static int ctl_fd(void)
{
	return open(INXPECT_KMOD_DEVICE, O_RDWR | O_CLOEXEC);
}

static int kinfo(struct inxpect_kmod_info *info)
{
	int fd = ctl_fd(), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, INXPECT_KMOD_IOC_INFO, info) ? -errno : 0;
	close(fd);
	return ret;
}

/* Returns the ioctl's result (0 or -errno), the reply in *cfg. */
static int kset(struct inxpect_kmod_config *cfg)
{
	int fd = ctl_fd(), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, INXPECT_KMOD_IOC_SET_EVENTS, cfg) ? -errno : 0;
	close(fd);
	return ret;
}

static int kset_sw(int on)
{
	struct inxpect_kmod_config cfg = {
		.nr_events = on ? 1 : 0,
		.flags = INXPECT_KMOD_CFG_ALLOW_UNREADABLE,
		.ev[0] = { .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CPU_CLOCK },
	};

	return kset(&cfg);
}

/* ---- BPF ------------------------------------------------------------- */

static int run(struct vm_obj *o, const char *prog, int repeat, __u32 *retval, __u32 *duration)
{
	char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = repeat);
	int fd = vm_prog_fd(o, prog);

	if (fd < 0)
		return fd;
	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	if (retval)
		*retval = opts.retval;
	if (duration)
		*duration = opts.duration;
	return 0;
}

static int load(const char *test, struct vm_obj *o, __u32 src, __u32 slot)
{
	const char *step = "";
	int ret = vm_obj_load(o, obj_path, (struct vm_src){ src, slot }, &step);

	if (ret)
		FAIL(test, "loading %s (src %u slot %u): %s: %s", obj_path, src, slot, step,
		     strerror(-ret));
	return ret;
}

/* Runs @prog @n times and reads section @sec. */
static int run_section(struct vm_obj *o, const char *prog, const char *sec, int n,
		       struct vm_section *out)
{
	int id = vm_section_id(o, sec), ret;

	if (id < 0)
		return id;
	ret = vm_reset_sections(o);
	if (!ret)
		ret = run(o, prog, n, NULL, NULL);
	if (!ret)
		ret = vm_read_section(o, id, out);
	return ret;
}

/* ---- tests ----------------------------------------------------------- */

static void t_load(void)
{
	int ret = mod_load();

	if (ret) {
		FAIL("kmod.load", "finit_module(%s): %s", ko_path, strerror(-ret));
		return;
	}
	module_loaded = 1;
	if (access(INXPECT_KMOD_DEVICE, F_OK))
		FAIL("kmod.load", "loaded but %s missing", INXPECT_KMOD_DEVICE);
	else
		PASS("kmod.load", "%s present", INXPECT_KMOD_DEVICE);
}

static void t_guard(void)
{
	static char log[1 << 17];
	int n = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);

	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	if (n < 0) {
		FAIL("kmod.guard_fixup", "klogctl: %s", strerror(errno));
		return;
	}
	log[n] = 0;
	if (strstr(log, "guard selftest: rdpmc faulted and was recovered"))
		PASS("kmod.guard_fixup", "rdpmc without a PMU faulted, exception table recovered");
	else if (strstr(log, "guard selftest: rdpmc did not fault"))
		PASS("kmod.guard_fixup",
		     "rdpmc did not fault here (PMU present), fixup not exercised");
	else
		FAIL("kmod.guard_fixup", "no guard selftest line in the kernel log");
}

static struct inxpect_kmod_info info0;

static void t_info(void)
{
	struct inxpect_kmod_info *i = &info0;
	int ret = kinfo(i);

	if (ret) {
		FAIL("kmod.info", "INXPECT_KMOD_IOC_INFO: %s", strerror(-ret));
		return;
	}
	if (i->abi_version != INXPECT_KMOD_ABI_VERSION || i->max_events != INXPECT_MAX_EVENTS ||
	    i->nr_slots != 0 || i->cpus_online < 1) {
		FAIL("kmod.info", "abi %u max %u slots %u cpus %u", i->abi_version, i->max_events,
		     i->nr_slots, i->cpus_online);
		return;
	}
	PASS("kmod.info", "pmu_present=%u gp=%u fixed=%u bits=%u cpus_online=%u", i->pmu_present,
	     i->pmu_gp_counters, i->pmu_fixed_counters, i->pmu_counter_bits, i->cpus_online);
}

static int cpu_online(int cpu, int on)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, on ? "1" : "0", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The cpuhp callbacks, with software events (the guest has no PMU): a CPU
 * that goes offline releases its counters, one that comes online gets the
 * configured ones.  Leaves CPU 1 offline, so the remaining tests run on
 * one CPU and no second vCPU's instructions enter the TSC deltas.
 */
static void t_hotplug(void)
{
	struct inxpect_kmod_info a, b, c;
	int ret;

	if (info0.cpus_online < 2) {
		SKIP("kmod.hotplug", "needs 2 CPUs (boot with -smp 2)");
		return;
	}
	ret = kset_sw(1);
	if (!ret)
		ret = kinfo(&a);
	if (!ret)
		ret = cpu_online(1, 0);
	if (!ret)
		ret = kinfo(&b);
	if (!ret)
		ret = cpu_online(1, 1);
	if (!ret)
		ret = kinfo(&c);
	if (!ret)
		ret = kset_sw(0);
	if (!ret)
		ret = cpu_online(1, 0);
	if (ret) {
		FAIL("kmod.hotplug", "step failed: %s", strerror(-ret));
		return;
	}
	if (a.cpus_ready != a.cpus_online || b.cpus_online != a.cpus_online - 1 ||
	    b.cpus_ready != b.cpus_online || c.cpus_online != a.cpus_online ||
	    c.cpus_ready != c.cpus_online) {
		FAIL("kmod.hotplug", "ready/online: before %u/%u, cpu1 off %u/%u, cpu1 on %u/%u",
		     a.cpus_ready, a.cpus_online, b.cpus_ready, b.cpus_online, c.cpus_ready,
		     c.cpus_online);
		return;
	}
	PASS("kmod.hotplug",
	     "ready/online %u/%u -> offline %u/%u -> online %u/%u; cpu1 left offline", a.cpus_ready,
	     a.cpus_online, b.cpus_ready, b.cpus_online, c.cpus_ready, c.cpus_online);
}

static void t_no_pmu(void)
{
	struct inxpect_kmod_config cfg = {
		.nr_events = 2,
		.ev[0] = { .type = PERF_TYPE_HARDWARE, .config = PERF_COUNT_HW_CPU_CYCLES },
		.ev[1] = { .type = PERF_TYPE_HARDWARE, .config = PERF_COUNT_HW_INSTRUCTIONS },
	};
	struct inxpect_kmod_info i;
	int ret;

	if (info0.pmu_present) {
		SKIP("kmod.no_pmu", "this guest has a PMU");
		return;
	}
	ret = kset(&cfg);
	if (!ret || !cfg.err[0] || !cfg.err[1] || cfg.nr_slots || kinfo(&i) || i.nr_slots) {
		FAIL("kmod.no_pmu", "set: %s, err %d %d, slots %u", strerror(-ret), cfg.err[0],
		     cfg.err[1], cfg.nr_slots);
		return;
	}
	PASS("kmod.no_pmu", "hardware events refused: errno %s, err[0]=%d err[1]=%d, 0 slots",
	     strerror(-ret), cfg.err[0], cfg.err[1]);
}

static void t_einval(void)
{
	struct inxpect_kmod_config too_many = { .nr_events = INXPECT_MAX_EVENTS + 1 };
	struct inxpect_kmod_config bad_flags = { .flags = 1u << 31 };
	struct inxpect_kmod_config bad_ev = { .nr_events = 1, .ev[0] = { .flags = 1 } };
	/* Well-formed but refused by perf: the error comes back per event. */
	struct inxpect_kmod_config bad_cfg = {
		.nr_events = 1,
		.ev[0] = { .type = PERF_TYPE_SOFTWARE, .config = 0xffff },
		.err[0] = 12345,
	};
	int a = kset(&too_many), b = kset(&bad_flags), c = kset(&bad_ev), d = kset(&bad_cfg);

	if (a != -EINVAL || b != -EINVAL || c != -EINVAL)
		FAIL("kmod.einval", "malformed requests: got %d %d %d", a, b, c);
	else if (!d || bad_cfg.err[0] != d || bad_cfg.nr_slots)
		FAIL("kmod.einval", "unknown software event: ret %d err[0] %d slots %u", d,
		     bad_cfg.err[0], bad_cfg.nr_slots);
	else
		PASS("kmod.einval",
		     "nr_events > %d, unknown flags, event flags: EINVAL; "
		     "unknown event: %s reported in err[0]",
		     INXPECT_MAX_EVENTS, strerror(-d));
}

static void t_unreadable(void)
{
	struct inxpect_kmod_config cfg = {
		.nr_events = 1,
		.ev[0] = { .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CPU_CLOCK },
	};
	int ret = kset(&cfg);

	if (ret != -EOPNOTSUPP || cfg.err[0] != -EOPNOTSUPP || cfg.nr_slots) {
		FAIL("kmod.unreadable", "software event without the flag: %d err %d slots %u", ret,
		     cfg.err[0], cfg.nr_slots);
		return;
	}
	cfg.flags = INXPECT_KMOD_CFG_ALLOW_UNREADABLE;
	ret = kset(&cfg);
	if (ret || cfg.nr_slots != 1) {
		FAIL("kmod.unreadable", "with the flag: %s slots %u", strerror(-ret), cfg.nr_slots);
		return;
	}
	kset_sw(0);
	PASS("kmod.unreadable", "software event refused (EOPNOTSUPP), accepted with the test flag");
}

static void t_tsc(void)
{
	struct vm_section s;
	struct vm_obj o;
	__u32 retval = 0;
	int ret;

	if (load("bpf.tsc", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	ret = run(&o, "drop_traced", 1, &retval, NULL);
	if (!ret)
		ret = run_section(&o, "drop_traced", "body", 1000, &s);
	if (ret || retval != XDP_DROP || s.count != 1000 || s.bad || !s.min) {
		FAIL("bpf.tsc", "ret %d retval %u count %llu bad %llu min %llu", ret, retval,
		     (unsigned long long)s.count, (unsigned long long)s.bad,
		     (unsigned long long)s.min);
	} else {
		PASS("bpf.tsc", "1000 runs: count 1000, bad 0, min %llu max %llu avg %.2f",
		     (unsigned long long)s.min, (unsigned long long)s.max, (double)s.sum / s.count);
	}
	vm_obj_close(&o);
}

/*
 * With INXPECT_VMTEST_JITDUMP=1 on the kernel command line (the kernel
 * hands it to /init's environment): print the JITed code of @prog, for
 * reading what a section's fixed cost is made of (docs/kmod.md).
 */
static void jit_dump(struct vm_obj *o, const char *prog)
{
	unsigned char code[8192];
	__u64 ksym = 0;
	struct bpf_prog_info info = {
		.jited_prog_len = sizeof(code),
		.jited_prog_insns = (__u64)(unsigned long)code,
		.nr_jited_ksyms = 1,
		.jited_ksyms = (__u64)(unsigned long)&ksym,
	};
	__u32 len = sizeof(info), i;

	if (!getenv("INXPECT_VMTEST_JITDUMP"))
		return;
	if (bpf_obj_get_info_by_fd(vm_prog_fd(o, prog), &info, &len) ||
	    info.jited_prog_len > sizeof(code)) {
		printf("INXPECT-JIT %s unavailable: %s, %u bytes\n", prog, strerror(errno),
		       info.jited_prog_len);
		return;
	}
	printf("INXPECT-JIT %s %llx ", prog, (unsigned long long)ksym);
	for (i = 0; i < info.jited_prog_len; i++)
		printf("%02x", code[i]);
	printf("\n");
}

static void t_tc(void)
{
	struct vm_section s;
	struct vm_obj o;
	int ret;

	if (load("bpf.tc_tsc", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	ret = run_section(&o, "tc_traced", "tc_body", 100, &s);
	if (ret || s.count != 100 || s.bad)
		FAIL("bpf.tc_tsc", "ret %d count %llu bad %llu", ret, (unsigned long long)s.count,
		     (unsigned long long)s.bad);
	else
		PASS("bpf.tc_tsc", "TC program: 100 runs, count 100, value %llu",
		     (unsigned long long)s.min);
	vm_obj_close(&o);
}

/*
 * Same code, same count: under icount the section value is an instruction
 * count and must not vary.  A timer interrupt that lands inside a section
 * adds its instructions to that one execution, so a run is retried (up to
 * 3 times) before the test fails.
 */
static void t_exact(void)
{
	struct vm_section b, e;
	struct vm_obj o;
	int attempt, ret = 0;

	if (load("bpf.exact", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	for (attempt = 1; attempt <= 3; attempt++) {
		ret = run_section(&o, "drop_traced", "body", 500, &b);
		if (!ret)
			ret = run_section(&o, "empty_traced", "empty", 500, &e);
		if (ret)
			break;
		if (b.count == 500 && e.count == 500 && b.min == b.max && e.min == e.max)
			break;
	}
	if (ret || attempt > 3) {
		FAIL("bpf.exact", "ret %d body min %llu max %llu, empty min %llu max %llu", ret,
		     (unsigned long long)b.min, (unsigned long long)b.max,
		     (unsigned long long)e.min, (unsigned long long)e.max);
	} else {
		PASS("bpf.exact",
		     "500 runs each: Drop body %llu every run, empty section %llu every run (attempt %d)",
		     (unsigned long long)b.min, (unsigned long long)e.min, attempt);
		measure("drop_body_tsc", b.min, "instructions");
		measure("empty_section_tsc", e.min, "instructions");
		jit_dump(&o, "drop_plain");
		jit_dump(&o, "drop_traced");
	}
	vm_obj_close(&o);
}

/* A PMC source that cannot be read: every execution is "bad", none counted. */
static void pmc_bad(const char *test, __u32 slot, const char *why)
{
	struct vm_section s;
	struct vm_obj o;
	int ret;

	if (load(test, &o, INXPECT_SRC_KF_PMC, slot))
		return;
	ret = run_section(&o, "drop_traced", "body", 100, &s);
	if (ret || s.count || s.bad != 100)
		FAIL(test, "%s: ret %d count %llu bad %llu", why, ret, (unsigned long long)s.count,
		     (unsigned long long)s.bad);
	else
		PASS(test, "%s: 100 runs, count 0, bad 100", why);
	vm_obj_close(&o);
}

static void t_pmc_errors(void)
{
	pmc_bad("bpf.pmc_unconfigured", 0, "slot 0, nothing configured");
	pmc_bad("bpf.pmc_bad_slot", INXPECT_MAX_EVENTS, "slot 4 (out of range)");
	if (kset_sw(1)) {
		FAIL("bpf.pmc_unreadable", "configuring a software event failed");
		return;
	}
	pmc_bad("bpf.pmc_unreadable", 0, "slot 0 holds a software event");
	kset_sw(0);
}

/*
 * Reconfiguration while a program reads: a child runs the program in a
 * loop while we swap the configuration.  No oops, and every read is a bad
 * read (nothing the module hands out is rdpmc-readable here).
 */
static void t_reconfig(void)
{
	const int loops = 200, repeat = 50;
	struct vm_section s;
	struct vm_obj o;
	int i, status, ret = 0;
	pid_t pid;

	if (load("kmod.reconfig_running", &o, INXPECT_SRC_KF_PMC, 0))
		return;
	vm_reset_sections(&o);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < loops; i++)
			if (run(&o, "drop_traced", repeat, NULL, NULL))
				_exit(1);
		_exit(0);
	}
	for (i = 0; i < 40 && !ret; i++)
		ret = kset_sw(i % 2 == 0);
	kset_sw(0);
	waitpid(pid, &status, 0);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "body"), &s);
	if (ret || !WIFEXITED(status) || WEXITSTATUS(status) || s.count ||
	    s.bad != (__u64)loops * repeat)
		FAIL("kmod.reconfig_running", "ret %d child %d count %llu bad %llu", ret, status,
		     (unsigned long long)s.count, (unsigned long long)s.bad);
	else
		PASS("kmod.reconfig_running",
		     "40 reconfigurations during %d runs, all bad, no oops", loops * repeat);
	vm_obj_close(&o);
}

/*
 * Instructions per packet of @prog, from BPF_PROG_TEST_RUN's duration with
 * repeat = 1: the kernel takes it with ktime around the program run, and
 * under icount (1 GHz TSC clocksource) one ns is one guest instruction.
 * Not TSC around the syscall: with repeat > 1 the kernel swaps the XDP
 * dispatcher and waits for RCU, and the idle time in that wait moves the
 * virtual clock by millions of ticks.  The average is over 64 consecutive
 * runs, so a 1-in-64 sampled section is measured exactly once; the
 * minimum of 5 such averages drops rounds hit by a timer interrupt.
 */
static double per_packet(struct vm_obj *o, const char *prog)
{
	long long best = -1;
	int t, i;

	for (t = 0; t < 5; t++) {
		long long sum = 0;

		for (i = 0; i < 64; i++) {
			__u32 d;

			if (run(o, prog, 1, NULL, &d))
				return -1;
			sum += d;
		}
		if (best < 0 || sum < best)
			best = sum;
	}
	return best / 64.0;
}

/* Cross-check: the kernel's per-repeat average over one long run. */
static long long per_packet_repeat(struct vm_obj *o, const char *prog)
{
	__u32 d;

	return run(o, prog, 64 * 64, NULL, &d) ? -1 : (long long)d;
}

static void t_measure(void)
{
	double plain, every, sampled;
	long long r_plain, r_every, r_sampled;
	struct vm_obj o;

	if (load("measure.overhead", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	vm_reset_sections(&o);
	plain = per_packet(&o, "drop_plain");
	r_plain = per_packet_repeat(&o, "drop_plain");
	vm_set_sample_rate(&o, 1);
	every = per_packet(&o, "drop_traced");
	r_every = per_packet_repeat(&o, "drop_traced");
	vm_set_sample_rate(&o, 64);
	sampled = per_packet(&o, "drop_traced");
	r_sampled = per_packet_repeat(&o, "drop_traced");
	vm_set_sample_rate(&o, 1);
	if (plain < 0 || every < 0 || sampled < 0 || r_plain < 0 || r_every < 0 || r_sampled < 0) {
		FAIL("measure.overhead", "a test run failed");
	} else if (!(sampled < every)) {
		FAIL("measure.overhead", "sampling 1/64 did not lower the cost (%.2f vs %.2f)",
		     sampled, every);
	} else {
		measure("drop_plain_per_packet", plain, "instructions");
		measure("drop_traced_per_packet", every, "instructions");
		measure("drop_traced_sampled64_per_packet", sampled, "instructions");
		measure("added_per_packet", every - plain, "instructions");
		measure("added_per_packet_sampled64", sampled - plain, "instructions");
		measure("repeat4096_plain", r_plain, "ns/packet");
		measure("repeat4096_traced", r_every, "ns/packet");
		measure("repeat4096_sampled64", r_sampled, "ns/packet");
		PASS("measure.overhead", "added per packet: %.2f every packet, %.2f sampled 1/64",
		     every - plain, sampled - plain);
	}
	vm_obj_close(&o);
}

/* The kernel holds a module reference for each program that calls one of
 * its kfuncs, so unloading must fail while one exists, and work after. */
static void t_rmmod_busy(void)
{
	int ifindex = if_nametoindex("lo"), ret, fd, tries;
	struct vm_section s;
	struct vm_obj o;

	if (load("kmod.rmmod_busy", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	fd = vm_prog_fd(&o, "drop_traced");
	ret = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_SKB_MODE, NULL);
	if (ret) {
		FAIL("kmod.rmmod_busy", "attaching to lo: %s", strerror(-ret));
		vm_obj_close(&o);
		return;
	}
	ret = mod_unload();
	if (ret != -EAGAIN && ret != -EBUSY) {
		FAIL("kmod.rmmod_busy", "delete_module while attached: %s",
		     ret ? strerror(-ret) : "succeeded");
		if (!ret)
			module_loaded = 0;
		bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
		vm_obj_close(&o);
		return;
	}
	/* Still working after the refused unload. */
	if (run_section(&o, "drop_traced", "body", 10, &s) || s.count != 10) {
		FAIL("kmod.rmmod_busy", "program broken after refused unload");
		bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
		vm_obj_close(&o);
		return;
	}
	/* Detached but still loaded: the program still holds the module. */
	bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
	ret = mod_unload();
	if (ret != -EAGAIN && ret != -EBUSY) {
		FAIL("kmod.rmmod_busy", "delete_module while loaded, detached: %s",
		     ret ? strerror(-ret) : "succeeded");
		if (!ret)
			module_loaded = 0;
		vm_obj_close(&o);
		return;
	}
	vm_obj_close(&o);
	/* Unload with live counters: exit must release them. */
	if (kset_sw(1)) {
		FAIL("kmod.rmmod_busy", "configuring a software event failed");
		return;
	}
	/* Programs are freed after an RCU grace period, from a workqueue. */
	for (tries = 0; tries < 100; tries++) {
		ret = mod_unload();
		if (ret != -EAGAIN && ret != -EBUSY)
			break;
		usleep(20000);
	}
	if (ret) {
		FAIL("kmod.rmmod_busy", "unload after the program was freed: %s", strerror(-ret));
		return;
	}
	module_loaded = 0;
	PASS("kmod.rmmod_busy",
	     "refused (EAGAIN) while attached and while loaded, program kept working, unloaded with live counters after close (%d retries)",
	     tries);
}

/* inxpect.h declares the kfuncs __weak so objects load without the module
 * when no kfunc source is selected; selecting one must then fail to load. */
static void t_without_module(void)
{
	struct vm_section s;
	struct vm_obj o;
	const char *step = "";
	int ret;

	if (module_loaded) {
		SKIP("bpf.without_module", "module still loaded");
		return;
	}
	ret = vm_obj_load(&o, obj_path, (struct vm_src){ INXPECT_SRC_KTIME, 0 }, &step);
	if (ret) {
		FAIL("bpf.without_module", "ktime source, no module: %s: %s", step, strerror(-ret));
		return;
	}
	ret = run_section(&o, "drop_traced", "body", 10, &s);
	vm_obj_close(&o);
	if (ret || s.count != 10) {
		FAIL("bpf.without_module", "ktime source ran badly: %d count %llu", ret,
		     (unsigned long long)s.count);
		return;
	}
	ret = vm_obj_load(&o, obj_path, (struct vm_src){ INXPECT_SRC_KF_TSC, 0 }, &step);
	if (!ret) {
		vm_obj_close(&o);
		FAIL("bpf.without_module", "kfunc source loaded without the module");
		return;
	}
	PASS("bpf.without_module", "ktime source loads and runs; kfunc source refused (%s: %s)",
	     step, strerror(-ret));
}

/* Load and unload again: init must work after an exit (kfunc set, cpuhp
 * state and device all registered anew). */
static void t_reload(void)
{
	struct inxpect_kmod_info i;
	int ret;

	if (module_loaded) {
		SKIP("kmod.reload", "module still loaded");
		return;
	}
	ret = mod_load();
	if (ret) {
		FAIL("kmod.reload", "second load: %s", strerror(-ret));
		return;
	}
	module_loaded = 1;
	ret = kinfo(&i);
	if (!ret && i.nr_slots)
		ret = -EEXIST;
	if (!ret)
		ret = mod_unload();
	if (ret) {
		FAIL("kmod.reload", "after reload: %s", strerror(-ret));
		return;
	}
	module_loaded = 0;
	PASS("kmod.reload", "loaded again with an empty configuration, unloaded");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s MODULE.ko OBJECT.bpf.o\n", argv[0]);
		return 2;
	}
	ko_path = argv[1];
	obj_path = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);

	t_load();
	if (!module_loaded)
		return 1;
	t_guard();
	t_info();
	t_hotplug();
	t_no_pmu();
	t_einval();
	t_unreadable();
	t_tsc();
	t_tc();
	t_exact();
	t_pmc_errors();
	t_reconfig();
	t_measure();
	t_rmmod_busy();
	t_without_module();
	t_reload();
	return nr_fail ? 1 : 0;
}
