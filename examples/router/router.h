/* SPDX-License-Identifier: GPL-2.0 */
/* The routing table's layout, shared by router.c and routes.py's output. */
#ifndef ROUTER_H
#define ROUTER_H

#include <linux/types.h>

#define ROUTER_MAX_ROUTES 65536

struct route_key {
	__u32 prefixlen; /* host order, as LPM tries want */
	__u32 addr;      /* network order */
};

struct next_hop {
	__u32 ifindex;
	__u8 dmac[6];
	__u8 smac[6];
};

#endif
