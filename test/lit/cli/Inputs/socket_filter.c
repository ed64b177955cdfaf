// A program that is not XDP, for the selectors' "not XDP" error.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int inxpect_not_xdp(struct __sk_buff *skb)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
