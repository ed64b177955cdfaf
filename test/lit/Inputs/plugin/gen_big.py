#!/usr/bin/env python3
"""Writes a large XDP program (a few thousand lines, hundreds of blocks)
to standard output: GROUPS rule tables of RULES rules each, every rule a
few nested blocks.  It is the basic-block stress test of inxpect-cc."""
import sys

GROUPS = int(sys.argv[1]) if len(sys.argv) > 1 else 24
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
    "\t__u32 saddr, daddr;",
    "\t__u16 sport, dport;",
    "\t__u8 proto, ttl;",
    "\t__u32 score;",
    "};",
    "",
]
for g in range(GROUPS):
    out += [
        "static __always_inline int group_%d(struct pkt *p)" % g,
        "{",
        "\tint hits = 0;",
        "",
    ]
    for r in range(RULES):
        port = 1000 + g * RULES + r
        out += [
            "\tif (p->dport == %d) {" % port,
            "\t\tif (p->proto == 17) {",
            "\t\t\thits += %d;" % (r + 1),
            "\t\t\tif (p->ttl < %d) {" % (2 + r),
            "\t\t\t\treturn -1;",
            "\t\t\t}",
            "\t\t} else {",
            "\t\t\thits -= 1;",
            "\t\t}",
            "\t\tp->score += hits;",
            "\t}",
            "\tif ((p->saddr & 0xff) == %d) {" % ((g * 7 + r) & 0xff),
            "\t\tp->score ^= %d;" % (g + r),
            "\t}",
        ]
    out += ["\treturn hits;", "}", ""]

out += [
    'SEC("xdp")',
    "int xdp_big(struct xdp_md *ctx)",
    "{",
    "\tvoid *data = (void *)(long)ctx->data;",
    "\tvoid *end = (void *)(long)ctx->data_end;",
    "\tstruct ethhdr *eth = data;",
    "\tstruct iphdr *ip = (void *)(eth + 1);",
    "\tstruct udphdr *udp = (void *)(ip + 1);",
    "\tstruct pkt p = {};",
    "\tint total = 0;",
    "",
    "\tif ((void *)(udp + 1) > end) {",
    "\t\treturn XDP_PASS;",
    "\t}",
    "\tif (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5) {",
    "\t\treturn XDP_PASS;",
    "\t}",
    "\tp.saddr = bpf_ntohl(ip->saddr);",
    "\tp.daddr = bpf_ntohl(ip->daddr);",
    "\tp.sport = bpf_ntohs(udp->source);",
    "\tp.dport = bpf_ntohs(udp->dest);",
    "\tp.proto = ip->protocol;",
    "\tp.ttl = ip->ttl;",
]
for g in range(GROUPS):
    out += [
        "\t{",
        "\t\tint h = group_%d(&p);" % g,
        "",
        "\t\tif (h < 0) {",
        "\t\t\treturn XDP_DROP;",
        "\t\t}",
        "\t\ttotal += h;",
        "\t}",
    ]
out += [
    "\tif (p.score & 1) {",
    "\t\tip->tos = p.score & 0xff;",
    "\t}",
    "\treturn total > 10 ? XDP_TX : XDP_PASS;",
    "}",
    "",
    'char LICENSE[] SEC("license") = "GPL";',
]
print("\n".join(out))
