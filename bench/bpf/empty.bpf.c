// SPDX-License-Identifier: GPL-2.0
/* The empty XDP program: its per-packet cost is what every program pays
 * before its body (test-run loop, dispatcher, prologue), so an app's true
 * cost is the app's cost minus this one's.  It includes inxpect.h (its maps,
 * no sections) so the runtime loads it like an app. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/inxpect.h>

SEC("xdp")
int xdp_empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
