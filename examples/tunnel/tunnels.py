#!/usr/bin/env python3
"""Writes a tunnel table for tunnel.c as `inxpect run --map tunnels=FILE` input.

Destination prefixes map to one of a few far tunnel ends (198.51.100.0/24),
all reached from 192.0.2.1 through the same next hop.  192.168.0.0/16 (the
default destination of `inxpect run --gen`) is covered by /20s but for
192.168.240.0/20, so generated traffic is both encapsulated and passed; the
rest are prefixes drawn with a fixed seed, to give the trie a realistic size.
"""
import argparse
import ipaddress
import random
import struct

LOCAL = ipaddress.ip_address("192.0.2.1")
DMAC = bytes([0x02, 0, 0, 0, 0x0a, 0x01])
SMAC = bytes([0x02, 0, 0, 0, 0x0a, 0xfe])


def entry(net, i, ends):
    key = struct.pack("<I", net.prefixlen) + net.network_address.packed
    far = ipaddress.ip_address(int(ipaddress.ip_address("198.51.100.1")) + i % ends)
    value = LOCAL.packed + far.packed + DMAC + SMAC
    return key.hex() + " " + value.hex()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--ends", type=int, default=16, help="far tunnel ends")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("output")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    covered = ipaddress.ip_network("192.168.0.0/16")
    nets = set(list(covered.subnets(new_prefix=20))[:-1])
    while len(nets) < args.count:
        plen = rng.randrange(16, 25)
        addr = rng.randrange(1 << 24, 224 << 24) >> (32 - plen) << (32 - plen)
        net = ipaddress.ip_network((addr, plen))
        if not net.overlaps(covered):
            nets.add(net)
    with open(args.output, "w") as f:
        f.write("# tunnels for examples/tunnel: LPM key (prefixlen, daddr), endpoint (saddr, daddr, dmac, smac)\n")
        for i, net in enumerate(sorted(nets, key=lambda n: (n.prefixlen, n.network_address))):
            f.write(entry(net, i, args.ends) + "\n")


if __name__ == "__main__":
    main()
