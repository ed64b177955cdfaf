/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of an InXpect loader the VM tests need: open an instrumented
 * object, choose the counter source, number the sections, load, and read
 * the per-CPU results.  The runtime's loader (runtime/) is the real one;
 * this stays small and C so the guest binary links statically.
 */
#ifndef VMTEST_LOADER_H
#define VMTEST_LOADER_H

#include <linux/types.h>
#include <bpf/libbpf.h>

#include "inxpect/abi.h"

#define VMTEST_MAX_IDS 16

struct vm_obj {
	struct bpf_object *obj;
	struct inxpect_ctl *ctl; /* .data.inxpect, mmapped: live */
	size_t ctl_size;
	int state_fd;
	int nr_ids;
	char ids[VMTEST_MAX_IDS][64]; /* section name of each id */
};

/* Counter source for event 0 (inxpect_nr_events = 1). */
struct vm_src {
	__u32 src;  /* enum inxpect_src */
	__u32 slot; /* inxpect_ev_slot[0] */
};

/* Returns 0 or -errno; on error *err names the step (static string). */
int vm_obj_load(struct vm_obj *o, const char *path, struct vm_src src, const char **err);
void vm_obj_close(struct vm_obj *o);
int vm_prog_fd(struct vm_obj *o, const char *prog);
int vm_section_id(struct vm_obj *o, const char *name);
/* A section's figures for event 0, summed over CPUs (min/max: over CPUs
 * that measured). */
struct vm_section {
	__u64 count, bad, sum, min, max;
};

int vm_read_section(struct vm_obj *o, int id, struct vm_section *out);
int vm_reset_sections(struct vm_obj *o);

#endif
