/* SPDX-License-Identifier: GPL-2.0 */
/* The NAT's tables and defaults, shared by nat.c and its tests. */
#ifndef NAT_H
#define NAT_H

#include <linux/types.h>

/* Defaults of nat.c's .rodata settings (host order here). */
#define NAT_DEFAULT_EXTERNAL 0xcb007101 /* 203.0.113.1 */
#define NAT_DEFAULT_INSIDE 0x0a000000   /* 10.0.0.0/8 */
#define NAT_DEFAULT_INSIDE_MASK 0xff000000
#define NAT_DEFAULT_PORT_LO 1024
#define NAT_DEFAULT_PORT_HI 65535

#define NAT_MAX_FLOWS 65536

/* A connection as it leaves the inside network; all fields network order. */
struct nat_flow {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

/* What the connection's source becomes outside; network order. */
struct nat_binding {
	__u32 addr;
	__u16 port;
	__u16 pad;
};

/* An external port in use, the key of the reverse table. */
struct nat_port {
	__u16 port; /* network order */
	__u8 proto;
	__u8 pad;
};

#endif
