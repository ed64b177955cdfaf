#!/usr/bin/env python3
"""Writes a large XDP program (a few thousand lines, hundreds of blocks)
to standard output: GROUPS rule tables of RULES rules each, every rule a
few nested blocks.  It is the basic-block stress test of inxpect-cc."""
import sys

GROUPS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
RULES = int(sys.argv[2]) if len(sys.argv) > 2 else 8

out = [
    "#include <linux/bpf.h>",
    "#include <linux/if_ether.h>",
    "#include <linux/ip.h>",
    "#include <linux/udp.h>",
    "#include <bpf/bpf_helpers.h>",
    "#include <bpf/bpf_endian.h>",
    "",
    "struct pkt {",
    "\t__u32 saddr;",
    "\t__u16 dport;",
    "\t__u8 proto, ttl;",
    "};",
    "",
    "struct {",
    "\t__uint(type, BPF_MAP_TYPE_ARRAY);",
    "\t__uint(max_entries, %d);" % (2 * GROUPS * RULES),
    "\t__type(key, __u32);",
    "\t__type(value, __u64);",
    "} hits SEC(\".maps\");",
    "",
    "static __always_inline void count(__u32 k)",
    "{",
    "\t__u64 *v = bpf_map_lookup_elem(&hits, &k);",
    "",
    "\tif (v) {",
    "\t\t__sync_fetch_and_add(v, 1);",
    "\t}",
    "}",
    "",
]
# First match wins, and a rule that does not match leaves no state behind,
# so the verifier's state pruning keeps the plain program cheap to verify.
for g in range(GROUPS):
    out += [
        "static __always_inline int group_%d(struct pkt *p)" % g,
        "{",
    ]
    for r in range(RULES):
        k = g * RULES + r
        out += [
            "\tif (p->dport == %d) {" % (1000 + k),
            "\t\tif (p->proto == 17) {",
            "\t\t\tcount(%d);" % (2 * k),
            "\t\t\tif (p->ttl < %d) {" % (2 + r),
            "\t\t\t\treturn XDP_DROP;",
            "\t\t\t}",
            "\t\t\treturn XDP_PASS;",
            "\t\t} else {",
            "\t\t\tcount(%d);" % (2 * k + 1),
            "\t\t}",
            "\t}",
        ]
    out += ["\treturn -1;", "}", ""]

out += [
    'SEC("xdp")',
    "int xdp_big(struct xdp_md *ctx)",
    "{",
    "\tvoid *data = (void *)(long)ctx->data;",
    "\tvoid *end = (void *)(long)ctx->data_end;",
    "\tstruct ethhdr *eth = data;",
    "\tstruct iphdr *ip = (void *)(eth + 1);",
    "\tstruct udphdr *udp = (void *)(ip + 1);",
    "\tstruct pkt p;",
    "",
    "\tif ((void *)(udp + 1) > end) {",
    "\t\treturn XDP_PASS;",
    "\t}",
    "\tif (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5) {",
    "\t\treturn XDP_PASS;",
    "\t}",
    "\tp.saddr = bpf_ntohl(ip->saddr);",
    "\tp.dport = bpf_ntohs(udp->dest);",
    "\tp.proto = ip->protocol;",
    "\tp.ttl = ip->ttl;",
]
for g in range(GROUPS):
    out += [
        "\t{",
        "\t\tint a = group_%d(&p);" % g,
        "",
        "\t\tif (a >= 0) {",
        "\t\t\treturn a;",
        "\t\t}",
        "\t}",
    ]
out += [
    "\treturn XDP_TX;",
    "}",
    "",
    'char LICENSE[] SEC("license") = "GPL";',
]
print("\n".join(out))
