// SPDX-License-Identifier: GPL-2.0
/*
 * The comparison profiler: bpftool's `prog profile` mechanism, one metric.
 *
 * fentry and fexit programs wrap the profiled program.  fentry reads the
 * counter of this CPU's perf event with bpf_perf_event_read_value into a
 * per-CPU map; fexit reads it again and adds the difference to a per-CPU
 * accumulator, and counts the run.  This mirrors bpftool's
 * skeleton/profiler.bpf.c (look up before reading, read all counters
 * before updating maps), so the cost measured is that mechanism's cost.
 *
 * With use_tsc set, both ends read the TSC through inxpect.ko's kfunc
 * instead: the same clock as InXpect's kmod backend, so the two can be
 * compared mechanism against mechanism.  The unused path is removed by the
 * verifier (use_tsc is .rodata), so the perf variant loads without the
 * module.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 use_tsc = 0;

extern __u64 inxpect_kf_rdtsc(void) __ksym __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_perf_event_value);
} fentry_readings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_perf_event_value);
} accum_readings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int read_counter(struct bpf_perf_event_value *v)
{
	if (use_tsc) {
		v->counter = inxpect_kf_rdtsc();
		v->enabled = v->running = 0;
		return 0;
	}
	/* bpftool indexes the event array by CPU id, as here. */
	return bpf_perf_event_read_value(&events, bpf_get_smp_processor_id(), v, sizeof(*v));
}

SEC("fentry")
int fentry_prog(void *ctx)
{
	struct bpf_perf_event_value *before, reading;
	__u32 zero = 0;

	/* Look up before reading, so the lookup is not measured. */
	before = bpf_map_lookup_elem(&fentry_readings, &zero);
	if (!before)
		return 0;
	if (read_counter(&reading))
		return 0;
	*before = reading;
	return 0;
}

SEC("fexit")
int fexit_prog(void *ctx)
{
	struct bpf_perf_event_value after, *before, *accum;
	__u32 zero = 0;
	__u64 *count;

	/* Read before any map update, so the updates are not measured. */
	if (read_counter(&after))
		return 0;
	count = bpf_map_lookup_elem(&counts, &zero);
	if (!count)
		return 0;
	*count += 1;
	before = bpf_map_lookup_elem(&fentry_readings, &zero);
	/* Only runs with a valid fentry reading are accounted. */
	if (!before || !before->counter)
		return 0;
	accum = bpf_map_lookup_elem(&accum_readings, &zero);
	if (accum) {
		accum->counter += after.counter - before->counter;
		accum->enabled += after.enabled - before->enabled;
		accum->running += after.running - before->running;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
