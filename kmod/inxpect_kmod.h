/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the parts of inxpect.ko. */
#ifndef INXPECT_KMOD_H
#define INXPECT_KMOD_H

#include <linux/types.h>

#include "inxpect/kmod_uapi.h"

/* counters.c: per-CPU counters and the read path */
int inxpect_counters_init(void);
void inxpect_counters_exit(void);
int inxpect_counters_validate(const struct inxpect_kmod_config *cfg);
int inxpect_counters_set(struct inxpect_kmod_config *cfg, bool *held);
void inxpect_counters_put(void);
void inxpect_counters_info(struct inxpect_kmod_info *info);
u64 inxpect_kf_rdpmc(u32 slot);
u64 inxpect_read_pmc(u32 slot);
void inxpect_guard_selftest(void);

/* sections.c: the section kfuncs */
int inxpect_sections_init(void);
void inxpect_sections_exit(void);
void inxpect_kf_start(u32 arg);
void inxpect_kf_end(void *state__map, u32 skip);
void inxpect_kf_start_on(u32 arg, u64 on);
void inxpect_kf_end_on(void *state__map, u32 skip, u64 on);
void inxpect_kf_start_ev(void *ctl, u32 ctl__sz, u32 arg, u64 on);
void inxpect_kf_end_ev(void *state__map, void *ctl, u32 ctl__sz, u32 skip, u64 on);
u64 inxpect_kf_hstart(void *ctl, u32 ctl__sz, u32 arg);
void inxpect_kf_hend(void *state__map, void *ctl, u32 ctl__sz, u64 tok);
void inxpect_kf_lstart(u32 slot);
void inxpect_kf_lend(void *state__map, u32 slot);
void inxpect_kf_lstart_on(u32 slot, u64 on);
void inxpect_kf_lend_on(void *state__map, u32 slot, u64 on);

/* ctl.c: /dev/inxpect */
int inxpect_ctl_init(void);
void inxpect_ctl_exit(void);

#endif /* INXPECT_KMOD_H */
