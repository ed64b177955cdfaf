/* SPDX-License-Identifier: GPL-2.0 */
/* The tunnel table's layout, shared by tunnel.c and tunnels.py's output. */
#ifndef TUNNEL_H
#define TUNNEL_H

#include <linux/types.h>

#define TUNNEL_MAX_PREFIXES 16384

struct tunnel_key {
	__u32 prefixlen; /* host order, as LPM tries want */
	__u32 daddr;     /* inner destination, network order */
};

/* The tunnel that carries traffic for a prefix. */
struct tunnel_endpoint {
	__u32 saddr;  /* outer source (this end), network order */
	__u32 daddr;  /* outer destination (the far end), network order */
	__u8 dmac[6]; /* the next hop towards the far end */
	__u8 smac[6];
};

#endif
