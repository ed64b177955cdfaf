/* SPDX-License-Identifier: GPL-2.0 */
/* The sketch's shape and hash, shared by cms.c and the tests that check its
 * counters (plain C, also valid C++). */
#ifndef CMS_H
#define CMS_H

#include <linux/types.h>

#define CMS_ROWS 4
#define CMS_COLS_BITS 13
#define CMS_COLS (1u << CMS_COLS_BITS)

/* One row of counters: the value of one entry of the `cms` array map. */
struct cms_row {
	__u32 count[CMS_COLS];
};

/* One independent hash per row, from these seeds. */
static const __u32 cms_seeds[CMS_ROWS] = { 0x2a9e8c11, 0x7f4a7c15, 0x9e3779b9, 0xc2b2ae35 };

static inline __u32 cms_rol32(__u32 w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

/* jhash_3words (Linux <linux/jhash.h>) over the addresses and the ports as
 * they lie in the packet (network order); the protocol perturbs the seed. */
static inline __u32 cms_column(__u32 saddr, __u32 daddr, __u32 ports, __u8 proto, __u32 row)
{
	__u32 init = (cms_seeds[row] ^ proto) + 0xdeadbeef + (3 << 2);
	__u32 a = saddr + init, b = daddr + init, c = ports + init;

	c ^= b;
	c -= cms_rol32(b, 14);
	a ^= c;
	a -= cms_rol32(c, 11);
	b ^= a;
	b -= cms_rol32(a, 25);
	c ^= b;
	c -= cms_rol32(b, 16);
	a ^= c;
	a -= cms_rol32(c, 4);
	b ^= a;
	b -= cms_rol32(a, 14);
	c ^= b;
	c -= cms_rol32(b, 24);
	return c & (CMS_COLS - 1);
}

#endif
