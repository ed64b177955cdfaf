#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>
#include "quoted.h"

INXPECT_SECTION
SEC("xdp") int prog(struct xdp_md *ctx)
{
	return QUOTED_ACTION;
}

char LICENSE[] SEC("license") = "GPL";
