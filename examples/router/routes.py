#!/usr/bin/env python3
"""Writes a routing table for router.c as `inxpect run --map routes=FILE` input.

The table has the shape of an Internet edge router's: mostly /24s, then
/16-/23s, a few short prefixes, and a default route; 10,000 prefixes by
default, drawn with a fixed seed.  192.168.0.0/16 (the default destination of
`inxpect run --gen`) is covered by /24s with a hole at 192.168.255.0/24, so
generated traffic takes both the routed and the unrouted path.
"""
import argparse
import ipaddress
import random
import struct

LENGTHS = [(24, 60), (23, 8), (22, 10), (21, 5), (20, 5), (19, 4), (18, 3), (17, 2), (16, 2), (12, 1)]


def entry(net, hop):
    key = struct.pack("<I", net.prefixlen) + net.network_address.packed
    value = struct.pack("<I", hop % 8 + 1) + bytes([0x02, 0, 0, 0, 1, hop % 256]) + bytes([0x02, 0, 0, 0, 0, 0xfe])
    return key.hex() + " " + value.hex()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("output")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    nets = {ipaddress.ip_network("0.0.0.0/0")}
    nets.update(ipaddress.ip_network(f"192.168.{i}.0/24") for i in range(255))
    lengths = [l for l, w in LENGTHS for _ in range(w)]
    while len(nets) < args.count:
        plen = rng.choice(lengths)
        addr = rng.randrange(1 << 24, 224 << 24) >> (32 - plen) << (32 - plen)
        net = ipaddress.ip_network((addr, plen))
        if not net.subnet_of(ipaddress.ip_network("192.168.0.0/16")):
            nets.add(net)
    with open(args.output, "w") as f:
        f.write("# routes for examples/router: LPM key (prefixlen, addr), next hop (ifindex, dmac, smac)\n")
        for i, net in enumerate(sorted(nets, key=lambda n: (n.prefixlen, n.network_address))):
            f.write(entry(net, i) + "\n")


if __name__ == "__main__":
    main()
