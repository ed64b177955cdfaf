#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

INXPECT_SECTION
SEC("xdp") int prog(struct xdp_md *ctx)
{
	int unused;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
