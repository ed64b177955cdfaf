// SPDX-License-Identifier: GPL-2.0
/* An object whose site records carry what a hostile object could: a file
 * name with terminal control sequences (an OSC title change, a colour) and
 * a byte that is not UTF-8.  `inxpect list` must show them escaped, and
 * JSON must stay valid.  Built at build time, never committed as a binary. */
#pragma clang diagnostic ignored "-Winvalid-source-encoding"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

#line 10 "evil\x1b]0;pwned\x07\x1b[31m\xff\xc2\x9b.c"
SEC("xdp")
int xdp_hostile(struct xdp_md *ctx)
{
	START_TRACE(body);
	END_TRACE(body);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
