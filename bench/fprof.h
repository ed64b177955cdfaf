/* The comparison profiler's loader (fprof.bpf.c): attaches fentry/fexit
 * around one program and reads what they accumulated. */
#ifndef INXPECT_BENCH_FPROF_H
#define INXPECT_BENCH_FPROF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum fprof_clock {
	FPROF_PERF, /* bpf_perf_event_read_value on per-CPU perf events */
	FPROF_TSC,  /* inxpect.ko's inxpect_kf_rdtsc */
};

struct fprof;

/* Loads `obj_path` around function `func` of program `target_fd` and
 * attaches it.  NULL on failure, with the reason in err. */
struct fprof *fprof_open(const char *obj_path, int target_fd, const char *func,
			 enum fprof_clock clock, char *err, size_t errlen);
/* What the counter counts: "instructions", "cpu-clock" or "tsc". */
const char *fprof_event(const struct fprof *p);
/* Runs seen by fexit, and the counter deltas summed over CPUs. */
int fprof_read(const struct fprof *p, uint64_t *runs, uint64_t *sum);
void fprof_close(struct fprof *p);

#ifdef __cplusplus
}
#endif

#endif
