/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the VM tests need of a loader, as a C interface to the runtime's own
 * (libinxpect, linked statically): open an instrumented object, choose the
 * counter source, load it, and read the per-CPU results.  No loading logic
 * lives here; see loader.cpp.
 */
#ifndef VMTEST_LOADER_H
#define VMTEST_LOADER_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vm_loaded; /* the runtime's LoadedObject, controls and state reader */

struct vm_obj {
	struct vm_loaded *impl;
};

/* Counter source for event 0 (one event). */
struct vm_src {
	__u32 src;  /* enum inxpect_src */
	__u32 slot; /* inxpect_ev_slot[0] */
	__u32 lean; /* the lean probe (ProbeConfig::lean) */
};

/* Returns 0 or -errno; on error *err says why (valid until the next call). */
int vm_obj_load(struct vm_obj *o, const char *path, struct vm_src src, const char **err);
void vm_obj_close(struct vm_obj *o);
/* The fd of program @prog, of any type; -ENOENT when there is none. */
int vm_prog_fd(struct vm_obj *o, const char *prog);
int vm_section_id(struct vm_obj *o, const char *name);
/* Sampling rate (.data.inxpect), without a reload. */
int vm_set_sample_rate(struct vm_obj *o, __u32 rate);
/* Section @name on or off (.data.inxpect), without a reload. */
int vm_set_enabled(struct vm_obj *o, const char *name, int enabled);

/* A section's figures for event 0, summed over CPUs (min/max: over CPUs
 * that measured). */
struct vm_section {
	__u64 count, bad, sum, min, max;
};

int vm_read_section(struct vm_obj *o, int id, struct vm_section *out);
int vm_reset_sections(struct vm_obj *o);

/* The call paths of section @sec (every START site of it) whose parent path
 * is one of section @parent's, or top level when @parent is NULL: figures
 * for event 0 summed over them and over CPUs.  n: how many paths matched
 * (0: out is zero); depth and key: of the first. */
struct vm_path {
	__u32 n, depth;
	__u64 key, parent, count, bad, sum, min, max;
};

int vm_read_path(struct vm_obj *o, const char *sec, const char *parent, struct vm_path *out);
/* Paths of section @sec, whatever their parents. */
int vm_count_paths(struct vm_obj *o, const char *sec);

/* What the probes could not record (abi.h's inxpect_hdr), over CPUs. */
struct vm_health {
	__u64 overflow, lost, unmatched;
};

int vm_read_health(struct vm_obj *o, struct vm_health *out);
/* The fd of map @name; -ENOENT when there is none. */
int vm_map_fd(struct vm_obj *o, const char *name);
/* What the loader wrote: .rodata's inxpect_mode, and the controls' src[0]. */
int vm_config(struct vm_obj *o, __u32 *mode, __u32 *src0);

#ifdef __cplusplus
}
#endif

#endif
