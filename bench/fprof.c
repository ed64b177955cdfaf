/* Loader of the comparison profiler, as bpftool prog profile does it: open
 * one counting perf event per online CPU (a hardware event if there is a
 * PMU, else the cpu-clock software event), put them in the event array,
 * point fentry/fexit at the target, load, attach. */
#include "fprof.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

struct fprof {
	struct bpf_object *obj;
	struct bpf_link *links[2];
	int *pfds;
	int ncpu;
	const char *event;
};

static int perf_open(__u32 type, __u64 config, int cpu)
{
	struct perf_event_attr a = { .size = sizeof(a), .type = type, .config = config };

	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	return (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0);
}

/* Opens this CPU's event; offline CPUs get none (their slot stays empty). */
static int open_events(struct fprof *p, char *err, size_t errlen)
{
	int map = bpf_object__find_map_fd_by_name(p->obj, "events");
	int c, fd;

	for (c = 0; c < p->ncpu; c++) {
		p->pfds[c] = -1;
		fd = perf_open(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, c);
		p->event = "instructions";
		if (fd < 0 && errno != ENODEV) {
			fd = perf_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, c);
			p->event = "cpu-clock";
		}
		if (fd < 0 && errno == ENODEV)
			continue; /* offline CPU */
		if (fd < 0) {
			snprintf(err, errlen, "perf_event_open on CPU %d: %s", c, strerror(errno));
			return -1;
		}
		p->pfds[c] = fd;
		if (bpf_map_update_elem(map, &c, &fd, BPF_ANY)) {
			snprintf(err, errlen, "events[%d]: %s", c, strerror(errno));
			return -1;
		}
	}
	return 0;
}

struct fprof *fprof_open(const char *obj_path, int target_fd, const char *func,
			 enum fprof_clock clock, char *err, size_t errlen)
{
	struct fprof *p = calloc(1, sizeof(*p));
	const char *progs[2] = { "fentry_prog", "fexit_prog" };
	int i, rc;

	if (!p)
		return snprintf(err, errlen, "out of memory"), NULL;
	p->event = "tsc";
	p->ncpu = libbpf_num_possible_cpus();
	p->obj = bpf_object__open_file(obj_path, NULL);
	if (!p->obj) {
		snprintf(err, errlen, "cannot open %s: %s", obj_path, strerror(errno));
		free(p);
		return NULL;
	}
	p->pfds = calloc(p->ncpu, sizeof(int));
	for (i = 0; i < p->ncpu; i++)
		p->pfds[i] = -1;
	bpf_map__set_max_entries(bpf_object__find_map_by_name(p->obj, "events"), p->ncpu);
	{
		__u32 v = clock == FPROF_TSC;
		struct bpf_map *ro = bpf_object__find_map_by_name(p->obj, ".rodata");

		if (!ro || bpf_map__set_initial_value(ro, &v, sizeof(v))) {
			snprintf(err, errlen, "%s: no .rodata use_tsc", obj_path);
			goto fail;
		}
	}
	for (i = 0; i < 2; i++) {
		rc = bpf_program__set_attach_target(
			bpf_object__find_program_by_name(p->obj, progs[i]), target_fd, func);
		if (rc) {
			snprintf(err, errlen, "attach target %s: %s", func, strerror(-rc));
			goto fail;
		}
	}
	rc = bpf_object__load(p->obj);
	if (rc) {
		snprintf(err, errlen, "fentry/fexit programs refused at load: %s", strerror(-rc));
		goto fail;
	}
	if (clock == FPROF_PERF && open_events(p, err, errlen))
		goto fail;
	for (i = 0; i < 2; i++) {
		p->links[i] = bpf_program__attach(bpf_object__find_program_by_name(p->obj, progs[i]));
		if (!p->links[i]) {
			snprintf(err, errlen, "cannot attach %s: %s", progs[i], strerror(errno));
			goto fail;
		}
	}
	return p;
fail:
	fprof_close(p);
	return NULL;
}

const char *fprof_event(const struct fprof *p)
{
	return p->event;
}

/* Sums a one-entry per-CPU array of `words` u64s, word `w`. */
static int percpu_sum(const struct fprof *p, const char *name, size_t words, size_t w,
		      uint64_t *out)
{
	int fd = bpf_object__find_map_fd_by_name(p->obj, name);
	uint64_t *v = calloc((size_t)p->ncpu * words, sizeof(uint64_t));
	__u32 zero = 0;
	int c;

	if (!v)
		return -1;
	if (bpf_map_lookup_elem(fd, &zero, v)) {
		free(v);
		return -1;
	}
	*out = 0;
	for (c = 0; c < p->ncpu; c++)
		*out += v[c * words + w];
	free(v);
	return 0;
}

int fprof_read(const struct fprof *p, uint64_t *runs, uint64_t *sum)
{
	size_t words = sizeof(struct bpf_perf_event_value) / sizeof(uint64_t);

	if (percpu_sum(p, "counts", 1, 0, runs))
		return -1;
	return percpu_sum(p, "accum_readings", words, 0, sum);
}

void fprof_close(struct fprof *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < 2; i++)
		bpf_link__destroy(p->links[i]);
	bpf_object__close(p->obj);
	for (i = 0; p->pfds && i < p->ncpu; i++)
		if (p->pfds[i] >= 0)
			close(p->pfds[i]);
	free(p->pfds);
	free(p);
}
