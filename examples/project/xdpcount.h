/* SPDX-License-Identifier: GPL-2.0 */
/* What xdpcount.bpf.c and its loader xdpcount.c share: the counter slots. */
#ifndef XDPCOUNT_H
#define XDPCOUNT_H

enum xdpcount_slot {
	XDPCOUNT_UDP4,
	XDPCOUNT_TCP4,
	XDPCOUNT_OTHER4,
	XDPCOUNT_IPV6,
	XDPCOUNT_OTHER,
	XDPCOUNT_SLOTS,
};

#endif
