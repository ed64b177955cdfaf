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
int inxpect_counters_set(struct inxpect_kmod_config *cfg);
void inxpect_counters_info(struct inxpect_kmod_info *info);
u64 inxpect_kf_rdpmc(u32 slot);
void inxpect_guard_selftest(void);

/* ctl.c: /dev/inxpect */
int inxpect_ctl_init(void);
void inxpect_ctl_exit(void);

#endif /* INXPECT_KMOD_H */
