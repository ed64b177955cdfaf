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
#include <signal.h>
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

/* SET_EVENTS on the open file @fd: the ioctl's result (0 or -errno), the
 * reply in *cfg.  The counters belong to the files that configured them:
 * they stay while @fd is open (kmod_uapi.h). */
static int kset_on(int fd, struct inxpect_kmod_config *cfg)
{
	return ioctl(fd, INXPECT_KMOD_IOC_SET_EVENTS, cfg) ? -errno : 0;
}

/* SET_EVENTS from a file of its own, closed at once: for requests that
 * are refused, or whose configuration is not used afterwards (closing the
 * file releases it). */
static int kset(struct inxpect_kmod_config *cfg)
{
	int fd = ctl_fd(), ret;

	if (fd < 0)
		return -errno;
	ret = kset_on(fd, cfg);
	close(fd);
	return ret;
}

/* One software event (rdpmc cannot read it: the slot reads as a bad read)
 * on @fd, or none (@config < 0: give the hold back).  Reply in *out. */
static int kset_sw_ev(int fd, long long config, struct inxpect_kmod_config *out)
{
	struct inxpect_kmod_config cfg = {
		.nr_events = config < 0 ? 0 : 1,
		.flags = INXPECT_KMOD_CFG_ALLOW_UNREADABLE,
		.ev[0] = { .type = PERF_TYPE_SOFTWARE, .config = config < 0 ? 0 : config },
	};
	int ret = kset_on(fd, &cfg);

	if (out)
		*out = cfg;
	return ret;
}

static int kset_sw_on(int fd, int on)
{
	return kset_sw_ev(fd, on ? PERF_COUNT_SW_CPU_CLOCK : -1, NULL);
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
	int fd = ctl_fd();

	/* The counters live while this file is open. */
	ret = fd < 0 ? -errno : kset_sw_on(fd, 1);
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
		ret = kset_sw_on(fd, 0);
	if (fd >= 0)
		close(fd);
	if (!ret)
		ret = cpu_online(1, 0);
	if (ret) {
		FAIL("kmod.hotplug", "step failed: %s", strerror(-ret));
		return;
	}
	if (a.nr_slots != 1 || a.cpus_ready != a.cpus_online ||
	    b.cpus_online != a.cpus_online - 1 || b.cpus_ready != b.cpus_online ||
	    c.cpus_online != a.cpus_online || c.cpus_ready != c.cpus_online) {
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
	PASS("kmod.unreadable", "software event refused (EOPNOTSUPP), accepted with the test flag");
}

/* ---- counters belong to the files that configured them ---------------- */

static int info_is(const struct inxpect_kmod_info *i, __u32 slots, __u32 users, long long config)
{
	return i->nr_slots == slots && i->users == users &&
	       (config < 0 || i->ev[0].config == (__u64)config);
}

/* Another file asking for other events while one holds them: EBUSY,
 * err[] untouched, nothing changes. */
static void t_owner_busy(void)
{
	struct inxpect_kmod_config cfg;
	struct inxpect_kmod_info i;
	int a = ctl_fd(), b = ctl_fd(), ra, rb = 0, ri = 0;

	ra = a < 0 || b < 0 ? -errno : kset_sw_ev(a, PERF_COUNT_SW_CPU_CLOCK, NULL);
	if (!ra)
		rb = kset_sw_ev(b, PERF_COUNT_SW_TASK_CLOCK, &cfg);
	if (!ra)
		ri = kinfo(&i);
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
	if (ra || ri)
		FAIL("kmod.owner_busy", "first file: %s, INFO: %s", strerror(-ra), strerror(-ri));
	else if (rb != -EBUSY || cfg.err[0] || cfg.nr_slots != 1 ||
		 !info_is(&i, 1, 1, PERF_COUNT_SW_CPU_CLOCK))
		FAIL("kmod.owner_busy",
		     "second file, other event: %d err[0] %d slots %u; INFO slots %u users %u config %llu",
		     rb, cfg.err[0], cfg.nr_slots, i.nr_slots, i.users,
		     (unsigned long long)i.ev[0].config);
	else
		PASS("kmod.owner_busy",
		     "a second file asking for another event: EBUSY, err[] zero; the first file's event kept (slots 1, users 1)");
}

/* The same events are shared; a file alone may change them; nr_events = 0
 * gives a hold back. */
static void t_owner_shared(void)
{
	struct inxpect_kmod_info i1, i2, i3, i4;
	int a = ctl_fd(), b = ctl_fd(), r[6] = { 0 }, ri = 0;
	const char *step = "";

	if (a < 0 || b < 0) {
		FAIL("kmod.owner_shared", "open: %s", strerror(errno));
		goto out;
	}
	r[0] = kset_sw_ev(a, PERF_COUNT_SW_CPU_CLOCK, NULL);
	r[1] = kset_sw_ev(b, PERF_COUNT_SW_CPU_CLOCK, NULL);
	r[2] = kset_sw_ev(a, PERF_COUNT_SW_CPU_CLOCK, NULL); /* again: still one hold */
	ri |= kinfo(&i1);
	r[3] = kset_sw_ev(a, PERF_COUNT_SW_TASK_CLOCK, NULL); /* not alone: refused */
	ri |= kinfo(&i2);
	r[4] = kset_sw_ev(b, -1, NULL); /* b gives its hold back */
	ri |= kinfo(&i3);
	r[5] = kset_sw_ev(a, PERF_COUNT_SW_TASK_CLOCK, NULL); /* alone: allowed */
	ri |= kinfo(&i4);
	if (ri)
		step = "INFO failed";
	else if (r[0] || r[1] || r[2] || !info_is(&i1, 1, 2, PERF_COUNT_SW_CPU_CLOCK))
		step = "the same event from two files";
	else if (r[3] != -EBUSY || !info_is(&i2, 1, 2, PERF_COUNT_SW_CPU_CLOCK))
		step = "a change while shared";
	else if (r[4] || !info_is(&i3, 1, 1, PERF_COUNT_SW_CPU_CLOCK))
		step = "one file giving its hold back";
	else if (r[5] || !info_is(&i4, 1, 1, PERF_COUNT_SW_TASK_CLOCK))
		step = "a change by the file alone";
	if (*step)
		FAIL("kmod.owner_shared",
		     "%s: results %d %d %d %d %d %d; users %u %u %u %u, config %llu %llu %llu %llu",
		     step, r[0], r[1], r[2], r[3], r[4], r[5], i1.users, i2.users, i3.users,
		     i4.users, (unsigned long long)i1.ev[0].config,
		     (unsigned long long)i2.ev[0].config, (unsigned long long)i3.ev[0].config,
		     (unsigned long long)i4.ev[0].config);
	else
		PASS("kmod.owner_shared",
		     "same event from two files: shared (users 2, asking twice counts once); a change while shared: EBUSY; "
		     "after one gave its hold back (nr_events 0) the other changed it alone");
out:
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
}

/* Closing the files releases the counters: the last close, not the first. */
static void t_owner_release(void)
{
	struct inxpect_kmod_info i1, i2, i3;
	int a = ctl_fd(), b = ctl_fd(), ret = 0, c;

	if (a < 0 || b < 0) {
		FAIL("kmod.owner_release", "open: %s", strerror(errno));
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
		return;
	}
	ret |= kset_sw_ev(a, PERF_COUNT_SW_CPU_CLOCK, NULL);
	ret |= kset_sw_ev(b, PERF_COUNT_SW_CPU_CLOCK, NULL);
	ret |= kinfo(&i1);
	close(a);
	ret |= kinfo(&i2);
	close(b);
	ret |= kinfo(&i3);
	/* Nothing held any more: any file may configure anything. */
	c = ctl_fd();
	ret |= c < 0 ? -errno : kset_sw_ev(c, PERF_COUNT_SW_TASK_CLOCK, NULL);
	if (c >= 0)
		close(c);
	if (ret || !info_is(&i1, 1, 2, -1) || !info_is(&i2, 1, 1, -1) || !info_is(&i3, 0, 0, -1))
		FAIL("kmod.owner_release",
		     "ret %d; slots/users %u/%u, one closed %u/%u, both closed %u/%u", ret,
		     i1.nr_slots, i1.users, i2.nr_slots, i2.users, i3.nr_slots, i3.users);
	else
		PASS("kmod.owner_release",
		     "slots/users 1/2, one file closed 1/1, both closed 0/0; then another event configured freely");
}

/* A process killed with SIGKILL holds nothing: the kernel closes its file. */
static void t_owner_sigkill(void)
{
	struct inxpect_kmod_info i1, i2;
	int p[2], ret = 0, busy, status;
	char c = 0;
	pid_t pid;

	if (pipe(p)) {
		FAIL("kmod.owner_sigkill", "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		int fd = ctl_fd();

		c = fd >= 0 && !kset_sw_ev(fd, PERF_COUNT_SW_CPU_CLOCK, NULL) ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1 || c != 'y') {
		FAIL("kmod.owner_sigkill", "the child could not configure its counters");
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
		close(p[0]);
		return;
	}
	close(p[0]);
	ret |= kinfo(&i1);
	{
		struct inxpect_kmod_config cfg = {
			.nr_events = 1,
			.flags = INXPECT_KMOD_CFG_ALLOW_UNREADABLE,
			.ev[0] = { .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_TASK_CLOCK },
		};

		busy = kset(&cfg);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ret |= kinfo(&i2);
	if (ret || !info_is(&i1, 1, 1, PERF_COUNT_SW_CPU_CLOCK) || busy != -EBUSY ||
	    !WIFSIGNALED(status) || !info_is(&i2, 0, 0, -1))
		FAIL("kmod.owner_sigkill",
		     "ret %d; held by the child: slots %u users %u, another event %d; after SIGKILL (status %d): slots %u users %u",
		     ret, i1.nr_slots, i1.users, busy, status, i2.nr_slots, i2.users);
	else
		PASS("kmod.owner_sigkill",
		     "a child's counters (slots 1, users 1, others EBUSY) are released when it is killed with SIGKILL (slots 0, users 0)");
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

/* ---- the section kfuncs ------------------------------------------------- */

/* Runs @prog @n times after a reset. */
static int run_fresh(struct vm_obj *o, const char *prog, int n)
{
	int ret = vm_reset_sections(o);

	return ret ? ret : run(o, prog, n, NULL, NULL);
}

static int path_is(const struct vm_path *p, __u64 count, __u32 depth)
{
	return p->n == 1 && p->count == count && p->bad == 0 && p->depth == depth;
}

/* Section @sec under @parent after one run and after @n more: the first
 * run apart, since it claims the elements of its paths (a parent measures
 * that in its children's ENDs). */
static int exact_path(struct vm_obj *o, const char *prog, int n, const char *sec,
		      const char *parent, struct vm_path *first, struct vm_path *all)
{
	int ret = run_fresh(o, prog, 1);

	if (!ret)
		ret = vm_read_path(o, sec, parent, first);
	if (!ret)
		ret = run(o, prog, n, NULL, NULL);
	if (!ret)
		ret = vm_read_path(o, sec, parent, all);
	return ret;
}

/* The runs after the first all measured @all->min. */
static int same_after_first(const struct vm_path *first, const struct vm_path *all, int n)
{
	return all->sum - first->sum == (__u64)n * all->min && all->min;
}

/*
 * The instrumenter's macros in the module's TSC mode (inxpect_kf_start and
 * _end): the loader wrote mode 4 into .rodata and src[0] = TSC into the
 * controls from the ProbeConfig; every section counts every run, and under
 * icount each the same number of instructions on every run but the first.
 */
static void t_kf_exact(void)
{
	struct vm_path out1, out, a1, a, b1, b;
	__u32 mode = 0, src0 = 0;
	struct vm_obj o;
	int attempt, ret, ok = 0;

	if (load("bpf.kf_exact", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	ret = vm_config(&o, &mode, &src0);
	if (ret || mode != INXPECT_MODE_KMOD_TSC || src0 != INXPECT_SRC_KF_TSC) {
		FAIL("bpf.kf_exact", "loader wrote mode %u src[0] %u (%s), not %u and %u", mode,
		     src0, strerror(-ret), INXPECT_MODE_KMOD_TSC, INXPECT_SRC_KF_TSC);
		vm_obj_close(&o);
		return;
	}
	/* A timer interrupt inside a section adds to that execution: retried. */
	for (attempt = 1; attempt <= 3 && !ret && !ok; attempt++) {
		ret = exact_path(&o, "kf_nested", 500, "k_a", "k_outer", &a1, &a);
		if (!ret)
			ret = exact_path(&o, "kf_nested", 500, "k_b", "k_outer", &b1, &b);
		if (!ret)
			ret = exact_path(&o, "kf_nested", 500, "k_outer", NULL, &out1, &out);
		ok = !ret && same_after_first(&a1, &a, 500) && same_after_first(&b1, &b, 500) &&
		     same_after_first(&out1, &out, 500);
	}
	if (ret || !ok || !path_is(&out, 501, 1) || !path_is(&a, 501, 2) || !path_is(&b, 501, 2) ||
	    out.min < a.min + b.min)
		FAIL("bpf.kf_exact",
		     "ret %d; (count, first, min, max): k_outer %llu %llu %llu %llu, k_a %llu %llu %llu %llu, "
		     "k_b %llu %llu %llu %llu",
		     ret, (unsigned long long)out.count, (unsigned long long)out1.sum,
		     (unsigned long long)out.min, (unsigned long long)out.max,
		     (unsigned long long)a.count, (unsigned long long)a1.sum,
		     (unsigned long long)a.min, (unsigned long long)a.max,
		     (unsigned long long)b.count, (unsigned long long)b1.sum,
		     (unsigned long long)b.min, (unsigned long long)b.max);
	else {
		PASS("bpf.kf_exact",
		     "mode %u, src[0] %u; 501 runs: k_outer %llu (first run %llu), k_a %llu, k_b %llu instructions, "
		     "every run after the first (attempt %d)",
		     mode, src0, (unsigned long long)out.min, (unsigned long long)out1.sum,
		     (unsigned long long)a.min, (unsigned long long)b.min, attempt - 1);
		measure("kf_outer_tsc", out.min, "instructions");
		measure("kf_outer_first_run_tsc", out1.sum, "instructions");
		measure("kf_a_tsc", a.min, "instructions");
		measure("kf_b_tsc", b.min, "instructions");
	}
	vm_obj_close(&o);
}

/* Call paths: a section's path goes on from the sections open when it
 * starts, through a called function too, and for hand-written sections. */
static void t_kf_paths(void)
{
	struct vm_path out, a, b, call, leaf, ho, hi;
	struct vm_obj o;
	int ret;

	if (load("bpf.kf_paths", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	ret = vm_reset_sections(&o);
	if (!ret)
		ret = run(&o, "kf_nested", 100, NULL, NULL);
	if (!ret)
		ret = run(&o, "kf_call", 100, NULL, NULL);
	if (!ret)
		ret = run(&o, "hand_nested", 100, NULL, NULL);
	if (!ret)
		ret = vm_read_path(&o, "k_outer", NULL, &out);
	if (!ret)
		ret = vm_read_path(&o, "k_a", "k_outer", &a);
	if (!ret)
		ret = vm_read_path(&o, "k_b", "k_outer", &b);
	if (!ret)
		ret = vm_read_path(&o, "k_call", NULL, &call);
	if (!ret)
		ret = vm_read_path(&o, "k_leaf", "k_call", &leaf);
	if (!ret)
		ret = vm_read_path(&o, "h_outer", NULL, &ho);
	if (!ret)
		ret = vm_read_path(&o, "h_inner", "h_outer", &hi);
	if (ret || !path_is(&out, 100, 1) || !path_is(&a, 100, 2) || !path_is(&b, 100, 2) ||
	    a.parent != out.key || b.parent != out.key || !path_is(&call, 100, 1) ||
	    !path_is(&leaf, 100, 2) || leaf.parent != call.key || !path_is(&ho, 100, 1) ||
	    !path_is(&hi, 100, 2) || hi.parent != ho.key || vm_count_paths(&o, "k_a") != 1 ||
	    vm_count_paths(&o, "k_leaf") != 1 || vm_count_paths(&o, "h_inner") != 1)
		FAIL("bpf.kf_paths",
		     "ret %d; (n, count, depth): k_outer %u %llu %u, k_a %u %llu %u, k_b %u %llu %u, "
		     "k_call %u %llu %u, k_leaf %u %llu %u, h_outer %u %llu %u, h_inner %u %llu %u",
		     ret, out.n, (unsigned long long)out.count, out.depth, a.n,
		     (unsigned long long)a.count, a.depth, b.n, (unsigned long long)b.count,
		     b.depth, call.n, (unsigned long long)call.count, call.depth, leaf.n,
		     (unsigned long long)leaf.count, leaf.depth, ho.n, (unsigned long long)ho.count,
		     ho.depth, hi.n, (unsigned long long)hi.count, hi.depth);
	else
		PASS("bpf.kf_paths",
		     "100 runs each: k_a, k_b under k_outer; k_leaf (a called function) under k_call; "
		     "hand-written h_inner under h_outer; one path each, parent keys as abi.h composes them");
	vm_obj_close(&o);
}

/* |n - expect| within 6 standard deviations of a count of measured runs
 * (intervals uniform in [1, 2 rate - 1]). */
static int near(__u64 n, int runs, int rate)
{
	double expect = (double)runs / rate, var = ((2.0 * rate - 1) * (2.0 * rate - 1) - 1) / 12;
	double sd = __builtin_sqrt(expect * var) / rate + 1;

	return (double)n > expect - 6 * sd && (double)n < expect + 6 * sd;
}

/* 1 run in N, all the sections of a run together: by the BPF code's draw
 * for the instrumenter's sections, by the module's for hand-written ones. */
static void t_kf_sampled(void)
{
	const int rate = 8, runs = 1600;
	struct vm_section out, a, b, ho, hi;
	struct vm_obj o;
	int ret;

	if (load("bpf.kf_sampled", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	ret = vm_set_sample_rate(&o, rate);
	if (!ret)
		ret = run_fresh(&o, "kf_nested", runs);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_outer"), &out);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_a"), &a);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_b"), &b);
	if (!ret)
		ret = run_fresh(&o, "hand_nested", runs);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "h_outer"), &ho);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "h_inner"), &hi);
	if (ret || !near(out.count, runs, rate) || a.count != out.count || b.count != out.count ||
	    !near(ho.count, runs, rate) || hi.count != ho.count)
		FAIL("bpf.kf_sampled",
		     "ret %d; 1/%d of %d runs: k_outer %llu k_a %llu k_b %llu; h_outer %llu h_inner %llu",
		     ret, rate, runs, (unsigned long long)out.count, (unsigned long long)a.count,
		     (unsigned long long)b.count, (unsigned long long)ho.count,
		     (unsigned long long)hi.count);
	else
		PASS("bpf.kf_sampled",
		     "1/%d of %d runs: k_outer, k_a, k_b %llu each; h_outer, h_inner %llu each (expected about %d)",
		     rate, runs, (unsigned long long)out.count, (unsigned long long)ho.count,
		     runs / rate);
	vm_obj_close(&o);
}

/* The module draws hand-written runs with one countdown per CPU, whatever
 * the program: an object measuring every run must not wait out an interval
 * that another object, sampling, drew. */
static void t_kf_rate_shared(void)
{
	struct vm_section s = { 0 };
	struct vm_obj a, b;
	int ret, i;

	if (load("bpf.kf_rate_shared", &a, INXPECT_SRC_KF_TSC, 0))
		return;
	if (load("bpf.kf_rate_shared", &b, INXPECT_SRC_KF_TSC, 0)) {
		vm_obj_close(&a);
		return;
	}
	/* a draws an interval of about 2^30 runs: it runs until one of its
	 * runs is measured (the countdown left before it has run out). */
	ret = vm_set_sample_rate(&a, 1u << 30);
	if (!ret)
		ret = vm_reset_sections(&a);
	for (i = 0; !ret && i < 1024; i++) {
		ret = run(&a, "drop_traced", 1, NULL, NULL);
		if (!ret)
			ret = vm_read_section(&a, vm_section_id(&a, "body"), &s);
		if (!ret && s.count)
			break;
	}
	if (!ret && !s.count)
		ret = -ETIME;
	if (!ret)
		ret = run_section(&b, "drop_traced", "body", 100, &s);
	if (ret || s.count != 100)
		FAIL("bpf.kf_rate_shared",
		     "ret %d; right after an object at 1/2^30 drew its interval: %llu of 100 measured",
		     ret, (unsigned long long)s.count);
	else
		PASS("bpf.kf_rate_shared",
		     "an object at 1/1 measures all 100 runs right after one at 1/2^30 drew its interval (%d runs)",
		     i + 1);
	vm_obj_close(&a);
	vm_obj_close(&b);
}

/* After a kf_bad_* program: a well-formed run still measures as it should. */
static int still_works(struct vm_obj *o)
{
	struct vm_path p;

	return !run_fresh(o, "kf_nested", 10) && !vm_read_path(o, "k_a", "k_outer", &p) &&
	       path_is(&p, 10, 2);
}

/* ENDs with nothing open, a START without a run, a hand-written END whose
 * token no START gave: no oops, the stack never goes below empty, the
 * stray token is counted as unmatched. */
static void t_kf_no_run(void)
{
	struct vm_health h;
	struct vm_path loose;
	struct vm_obj o;
	int ret;

	if (load("bpf.kf_no_run", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	ret = run_fresh(&o, "kf_bad_order", 100);
	if (!ret)
		ret = vm_read_path(&o, "k_loose", NULL, &loose);
	if (!ret)
		ret = vm_read_health(&o, &h);
	if (ret || !path_is(&loose, 100, 1) || h.unmatched != 100 || h.overflow || h.lost)
		FAIL("bpf.kf_no_run",
		     "ret %d; the START without a run: n %u count %llu depth %u; unmatched %llu overflow %llu lost %llu",
		     ret, loose.n, (unsigned long long)loose.count, loose.depth,
		     (unsigned long long)h.unmatched, (unsigned long long)h.overflow,
		     (unsigned long long)h.lost);
	else if (!still_works(&o))
		FAIL("bpf.kf_no_run", "kf_nested measures wrongly afterwards");
	else
		PASS("bpf.kf_no_run",
		     "100 runs: ENDs with nothing open ignored, a START without a run measured at top level, "
		     "a stray token counted unmatched (100); kf_nested exact afterwards");
	vm_obj_close(&o);
}

/* Every element of map @name is zero (all CPUs' for a per-CPU map). */
static int map_all_zero(struct vm_obj *o, const char *name, int percpu, __u32 entries)
{
	int fd = vm_map_fd(o, name), ncpu = percpu ? libbpf_num_possible_cpus() : 1;
	size_t size = (size_t)ncpu * sizeof(struct inxpect_node), k;
	unsigned char *buf = malloc(size);
	__u32 key;
	int zero = fd >= 0 && buf && ncpu > 0;

	for (key = 0; zero && key < entries; key++) {
		if (bpf_map_lookup_elem(fd, &key, buf)) {
			zero = 0;
			break;
		}
		for (k = 0; k < size; k++)
			zero &= !buf[k];
	}
	free(buf);
	return zero;
}

/* A map that is not a state map, given to the ENDs: refused, nothing
 * written to it, nothing recorded. */
static void t_kf_bad_map(void)
{
	struct vm_section s;
	struct vm_health h;
	struct vm_obj o;
	int ret;

	if (load("bpf.kf_bad_map", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	ret = run_fresh(&o, "kf_bad_map", 100);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_refused"), &s);
	if (!ret)
		ret = vm_read_health(&o, &h);
	if (ret || s.count || s.bad || h.unmatched || h.overflow || h.lost ||
	    !map_all_zero(&o, "not_state", 0, 4) || !map_all_zero(&o, "odd_state", 1, 3))
		FAIL("bpf.kf_bad_map",
		     "ret %d; recorded %llu; health %llu %llu %llu; not_state zero %d, odd_state zero %d",
		     ret, (unsigned long long)s.count, (unsigned long long)h.unmatched,
		     (unsigned long long)h.overflow, (unsigned long long)h.lost,
		     map_all_zero(&o, "not_state", 0, 4), map_all_zero(&o, "odd_state", 1, 3));
	else if (!still_works(&o))
		FAIL("bpf.kf_bad_map", "kf_nested measures wrongly afterwards");
	else
		PASS("bpf.kf_bad_map",
		     "100 runs: an ARRAY map and a 3-element per-CPU array refused as state maps, left all zero, "
		     "nothing recorded; kf_nested exact afterwards");
	vm_obj_close(&o);
}

/* kf_bad_deep opens its root and 40 sections in it (vmtest.bpf.c). */
#define KF_DEEP_OPEN 41

/* 41 sections open at once: the 31 the stack holds are measured, the 10
 * beyond are counted as too deep, and ENDs match their STARTs again. */
static void t_kf_deep(void)
{
	struct vm_section deep, root;
	struct vm_health h;
	struct vm_obj o;
	int ret, paths = 0;

	if (load("bpf.kf_deep", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	ret = run_fresh(&o, "kf_bad_deep", 100);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_deep"), &deep);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_deep_root"), &root);
	if (!ret)
		ret = vm_read_health(&o, &h);
	if (!ret)
		paths = vm_count_paths(&o, "k_deep");
	if (ret || root.count != 100 || paths != INXPECT_MAX_DEPTH - 2 ||
	    deep.count != 100 * (INXPECT_MAX_DEPTH - 2) ||
	    h.overflow != 100 * (KF_DEEP_OPEN - (INXPECT_MAX_DEPTH - 1)) || h.lost || h.unmatched)
		FAIL("bpf.kf_deep",
		     "ret %d; root %llu, nested %llu on %d paths; overflow %llu lost %llu unmatched %llu",
		     ret, (unsigned long long)root.count, (unsigned long long)deep.count, paths,
		     (unsigned long long)h.overflow, (unsigned long long)h.lost,
		     (unsigned long long)h.unmatched);
	else if (!still_works(&o))
		FAIL("bpf.kf_deep", "kf_nested measures wrongly afterwards");
	else
		PASS("bpf.kf_deep",
		     "100 runs of 41 nested sections: %d levels measured (%llu), %llu too deep, none lost; "
		     "kf_nested exact afterwards",
		     paths + 1, (unsigned long long)(deep.count + root.count),
		     (unsigned long long)h.overflow);
	vm_obj_close(&o);
}

static int load_lean(const char *test, struct vm_obj *o)
{
	const char *step = "";
	int ret = vm_obj_load(o, obj_path, (struct vm_src){ INXPECT_SRC_KF_TSC, 0, 1 }, &step);

	if (ret)
		FAIL(test, "loading %s (lean probe): %s: %s", obj_path, step, strerror(-ret));
	return ret;
}

/* kf_nested under the lean probe: every section at top level, exact. */
static int lean_exact(struct vm_obj *o, int n, struct vm_path *out, struct vm_path *a,
		      struct vm_path *b)
{
	struct vm_path out1, a1, b1;
	int attempt, ret = 0, ok = 0;

	/* A timer interrupt inside a section adds to that execution: retried. */
	for (attempt = 1; attempt <= 3 && !ret && !ok; attempt++) {
		ret = exact_path(o, "kf_nested", n, "k_a", NULL, &a1, a);
		if (!ret)
			ret = exact_path(o, "kf_nested", n, "k_b", NULL, &b1, b);
		if (!ret)
			ret = exact_path(o, "kf_nested", n, "k_outer", NULL, &out1, out);
		ok = !ret && same_after_first(&a1, a, n) && same_after_first(&b1, b, n) &&
		     same_after_first(&out1, out, n);
	}
	return !ret && ok && path_is(out, n + 1, 1) && path_is(a, n + 1, 1) &&
	       path_is(b, n + 1, 1) && out->min >= a->min + b->min;
}

/*
 * The lean probe (INXPECT_MODE_KMOD_LEAN): the loader wrote mode 5; every
 * section counts every run at top level, exactly under icount; a function
 * that joins the run measures too; 1 run in N measures all of a run's
 * sections together; a section switched off records nothing.
 */
static void t_kf_lean(void)
{
	const int rate = 8, runs = 1600;
	struct vm_section so, sa, sb, leaf, call;
	struct vm_path out, a, b;
	__u32 mode = 0, src0 = 0;
	struct vm_obj o;
	int ret;

	if (load_lean("bpf.kf_lean", &o))
		return;
	ret = vm_config(&o, &mode, &src0);
	if (ret || mode != INXPECT_MODE_KMOD_LEAN) {
		FAIL("bpf.kf_lean", "loader wrote mode %u (%s), not %u", mode, strerror(-ret),
		     INXPECT_MODE_KMOD_LEAN);
		goto out;
	}
	if (!lean_exact(&o, 500, &out, &a, &b)) {
		FAIL("bpf.kf_lean",
		     "(n, count, depth, min, max): k_outer %u %llu %u %llu %llu, k_a %u %llu %u %llu %llu, "
		     "k_b %u %llu %u %llu %llu",
		     out.n, (unsigned long long)out.count, out.depth, (unsigned long long)out.min,
		     (unsigned long long)out.max, a.n, (unsigned long long)a.count, a.depth,
		     (unsigned long long)a.min, (unsigned long long)a.max, b.n,
		     (unsigned long long)b.count, b.depth, (unsigned long long)b.min,
		     (unsigned long long)b.max);
		goto out;
	}
	ret = run_section(&o, "kf_call", "k_leaf", 100, &leaf);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_call"), &call);
	if (ret || leaf.count != 100 || call.count != 100 || call.min < leaf.min) {
		FAIL("bpf.kf_lean", "ret %d; kf_call 100 runs: k_call %llu, k_leaf (joined) %llu",
		     ret, (unsigned long long)call.count, (unsigned long long)leaf.count);
		goto out;
	}
	ret = vm_set_sample_rate(&o, rate);
	if (!ret)
		ret = run_section(&o, "kf_nested", "k_outer", runs, &so);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_a"), &sa);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_b"), &sb);
	if (ret || !near(so.count, runs, rate) || sa.count != so.count || sb.count != so.count) {
		FAIL("bpf.kf_lean", "ret %d; 1/%d of %d runs: k_outer %llu k_a %llu k_b %llu", ret,
		     rate, runs, (unsigned long long)so.count, (unsigned long long)sa.count,
		     (unsigned long long)sb.count);
		goto out;
	}
	ret = vm_set_sample_rate(&o, 1);
	if (!ret)
		ret = vm_set_enabled(&o, "k_a", 0);
	if (!ret)
		ret = run_section(&o, "kf_nested", "k_a", 100, &sa);
	if (!ret)
		ret = vm_read_section(&o, vm_section_id(&o, "k_b"), &sb);
	if (ret || sa.count || sb.count != 100) {
		FAIL("bpf.kf_lean", "ret %d; k_a switched off, 100 runs: k_a %llu, k_b %llu", ret,
		     (unsigned long long)sa.count, (unsigned long long)sb.count);
		goto out;
	}
	PASS("bpf.kf_lean",
	     "mode %u; 501 runs: k_outer %llu, k_a %llu, k_b %llu instructions, all at top level, every "
	     "run after the first; a joined function's section measured; 1/%d: %llu runs, all three "
	     "together; a section switched off records nothing",
	     mode, (unsigned long long)out.min, (unsigned long long)a.min,
	     (unsigned long long)b.min, rate, (unsigned long long)so.count);
	measure("kf_outer_lean", out.min, "instructions");
out:
	vm_obj_close(&o);
}

/* The lean kfuncs out of order and given what they must refuse
 * (kf_lean_bad): no oops, nothing written to the wrong maps, only the one
 * real measurement recorded, and kf_nested exact afterwards. */
static void t_kf_lean_bad(void)
{
	struct vm_path out, a, b;
	struct vm_section s;
	struct vm_health h;
	struct vm_obj o;
	int ret;

	if (load_lean("bpf.kf_lean_bad", &o))
		return;
	ret = run_section(&o, "kf_lean_bad", "k_lean_loose", 100, &s);
	if (!ret)
		ret = vm_read_health(&o, &h);
	if (ret || s.count != 100 || s.bad || h.unmatched || h.overflow || h.lost ||
	    !map_all_zero(&o, "not_state", 0, 4) || !map_all_zero(&o, "odd_state", 1, 3))
		FAIL("bpf.kf_lean_bad",
		     "ret %d; k_lean_loose %llu of 100; health %llu %llu %llu; not_state zero %d, "
		     "odd_state zero %d",
		     ret, (unsigned long long)s.count, (unsigned long long)h.unmatched,
		     (unsigned long long)h.overflow, (unsigned long long)h.lost,
		     map_all_zero(&o, "not_state", 0, 4), map_all_zero(&o, "odd_state", 1, 3));
	else if (!lean_exact(&o, 10, &out, &a, &b))
		FAIL("bpf.kf_lean_bad", "kf_nested measures wrongly afterwards");
	else
		PASS("bpf.kf_lean_bad",
		     "100 runs: an END with no START, ENDs given an ARRAY and a 3-element per-CPU array, a "
		     "slot beyond the module's, the _on variants told off: no oops, the wrong maps left "
		     "zero, only the one real measurement recorded (100); kf_nested exact afterwards");
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
	int fd;

	pmc_bad("bpf.pmc_bad_slot", INXPECT_MAX_EVENTS, "slot 4 (out of range)");
	fd = ctl_fd();
	if (fd < 0 || kset_sw_on(fd, 1)) {
		FAIL("bpf.pmc_unreadable", "configuring a software event failed");
		if (fd >= 0)
			close(fd);
		return;
	}
	pmc_bad("bpf.pmc_unreadable", 0, "slot 0 holds a software event");
	close(fd);
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
	int i, status, fd, ret = 0;
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
	/* One file, alone: it may change its counters at any time. */
	fd = ctl_fd();
	if (fd < 0)
		ret = -errno;
	for (i = 0; i < 40 && !ret; i++)
		ret = kset_sw_on(fd, i % 2 == 0);
	if (fd >= 0)
		close(fd);
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
 * virtual clock by millions of ticks.  Sampled runs come at random
 * intervals, so the average is over 64 runs per unit of the rate (about 64
 * measured ones), 256 runs when every run is measured; a run that a timer
 * interrupt hit (thousands of instructions more than the cheapest) is left
 * out of it.
 */
static double per_packet(struct vm_obj *o, const char *prog, int rate)
{
	int i, n = 64 * (rate > 1 ? rate : 4), kept = 0;
	__u32 *d = malloc(n * sizeof(*d)), min = ~0u;
	double sum = 0;

	if (!d)
		return -1;
	for (i = 0; i < n; i++) {
		if (run(o, prog, 1, NULL, &d[i])) {
			free(d);
			return -1;
		}
		if (d[i] < min)
			min = d[i];
	}
	for (i = 0; i < n; i++)
		if (d[i] <= min + 2000) {
			sum += d[i];
			kept++;
		}
	free(d);
	return sum / kept;
}

/* Cross-check: the kernel's per-repeat average over one long run. */
static long long per_packet_repeat(struct vm_obj *o, const char *prog, int rate)
{
	__u32 d;

	return run(o, prog, 64 * (rate > 64 ? rate : 64), NULL, &d) ? -1 : (long long)d;
}

/* Per packet of @prog measured every run, 1 in 64, 1 in 256. */
struct vm_cost {
	double every, s64, s256;
	long long r_every, r_s64, r_s256;
};

static int cost_of(struct vm_obj *o, const char *prog, struct vm_cost *c)
{
	vm_set_sample_rate(o, 1);
	c->every = per_packet(o, prog, 1);
	c->r_every = per_packet_repeat(o, prog, 1);
	vm_set_sample_rate(o, 64);
	c->s64 = per_packet(o, prog, 64);
	c->r_s64 = per_packet_repeat(o, prog, 64);
	vm_set_sample_rate(o, 256);
	c->s256 = per_packet(o, prog, 256);
	c->r_s256 = per_packet_repeat(o, prog, 256);
	vm_set_sample_rate(o, 1);
	return c->every < 0 || c->s64 < 0 || c->s256 < 0 || c->r_every < 0 || c->r_s64 < 0 ||
	       c->r_s256 < 0;
}

/*
 * What measuring costs Drop, in instructions per packet: drop_traced
 * (hand-written sections, through inxpect_kf_hstart/_hend, the module
 * drawing the samples) and drop_kf (as inxpect-cc instruments it: the BPF
 * code draws, inxpect_kf_start/_end measure), every packet, 1 in 64 and
 * 1 in 256.
 */
static void t_measure(void)
{
	struct vm_cost h, k;
	long long r_plain;
	double plain;
	struct vm_obj o;

	if (load("measure.overhead", &o, INXPECT_SRC_KF_TSC, 0))
		return;
	vm_reset_sections(&o);
	plain = per_packet(&o, "drop_plain", 1);
	r_plain = per_packet_repeat(&o, "drop_plain", 1);
	if (plain < 0 || r_plain < 0 || cost_of(&o, "drop_traced", &h) ||
	    cost_of(&o, "drop_kf", &k)) {
		FAIL("measure.overhead", "a test run failed");
	} else if (!(h.s64 < h.every && h.s256 < h.every && k.s64 < k.every && k.s256 < k.every)) {
		FAIL("measure.overhead",
		     "sampling did not lower the cost: hand-written %.2f, %.2f at 1/64, %.2f at 1/256; "
		     "macros %.2f, %.2f, %.2f",
		     h.every, h.s64, h.s256, k.every, k.s64, k.s256);
	} else {
		measure("drop_plain_per_packet", plain, "instructions");
		measure("drop_traced_per_packet", h.every, "instructions");
		measure("drop_traced_sampled64_per_packet", h.s64, "instructions");
		measure("drop_traced_sampled256_per_packet", h.s256, "instructions");
		measure("added_per_packet", h.every - plain, "instructions");
		measure("added_per_packet_sampled64", h.s64 - plain, "instructions");
		measure("added_per_packet_sampled256", h.s256 - plain, "instructions");
		measure("drop_kf_per_packet", k.every, "instructions");
		measure("drop_kf_sampled64_per_packet", k.s64, "instructions");
		measure("drop_kf_sampled256_per_packet", k.s256, "instructions");
		measure("kf_added_per_packet", k.every - plain, "instructions");
		measure("kf_added_per_packet_sampled64", k.s64 - plain, "instructions");
		measure("kf_added_per_packet_sampled256", k.s256 - plain, "instructions");
		measure("repeat_plain", r_plain, "ns/packet");
		measure("repeat_traced", h.r_every, "ns/packet");
		measure("repeat_traced_sampled64", h.r_s64, "ns/packet");
		measure("repeat_traced_sampled256", h.r_s256, "ns/packet");
		measure("repeat_kf", k.r_every, "ns/packet");
		measure("repeat_kf_sampled64", k.r_s64, "ns/packet");
		measure("repeat_kf_sampled256", k.r_s256, "ns/packet");
		PASS("measure.overhead",
		     "added per packet: hand-written %.2f every packet, %.2f at 1/64, %.2f at 1/256; "
		     "inxpect-cc's macros %.2f, %.2f, %.2f",
		     h.every - plain, h.s64 - plain, h.s256 - plain, k.every - plain, k.s64 - plain,
		     k.s256 - plain);
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
	/* Counters live only while a file that configured them is open, and an
	 * open file holds the module: no unload meets live counters. */
	fd = ctl_fd();
	if (fd < 0 || kset_sw_on(fd, 1)) {
		FAIL("kmod.rmmod_busy", "configuring a software event failed");
		if (fd >= 0)
			close(fd);
		return;
	}
	ret = mod_unload();
	if (ret != -EAGAIN && ret != -EBUSY) {
		FAIL("kmod.rmmod_busy", "delete_module while a file holds counters: %s",
		     ret ? strerror(-ret) : "succeeded");
		if (!ret)
			module_loaded = 0;
		close(fd);
		return;
	}
	close(fd);
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
	     "refused (EAGAIN) while attached, while loaded and while a file held counters, program kept working, unloaded once all were closed (%d retries)",
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
	t_owner_busy();
	t_owner_shared();
	t_owner_release();
	t_owner_sigkill();
	t_tsc();
	t_tc();
	t_exact();
	t_kf_exact();
	t_kf_paths();
	t_kf_sampled();
	t_kf_rate_shared();
	t_kf_no_run();
	t_kf_bad_map();
	t_kf_deep();
	t_kf_lean();
	t_kf_lean_bad();
	t_pmc_errors();
	t_reconfig();
	t_measure();
	t_rmmod_busy();
	t_without_module();
	t_reload();
	return nr_fail ? 1 : 0;
}
