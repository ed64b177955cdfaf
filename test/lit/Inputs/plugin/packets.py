#!/usr/bin/env python3
"""Prints the packet corpus of the semantic-equivalence tests: one packet a
line, in hex.  Each packet aims at one path of xdp_equiv.c."""
import struct

DST, SRC = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")


def eth(proto, payload, vlan=None):
    head = DST + SRC
    if vlan is not None:
        head += struct.pack("!HH", 0x8100, vlan)
    return head + struct.pack("!H", proto) + payload


def ipv4(proto, payload, ttl=64, ihl=5):
    opts = b"\x01" * (4 * max(ihl, 5) - 20)
    total = 4 * max(ihl, 5) + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 1, 0, ttl, proto,
                      0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + opts
    s = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return hdr[:10] + struct.pack("!H", ~s & 0xffff) + hdr[12:] + payload


def udp(dport, payload=b""):
    return struct.pack("!HHHH", 1234, dport, 8 + len(payload), 0) + payload


def tcp(flags):
    return struct.pack("!HHIIBBHHH", 1234, 80, 1, 0, 5 << 4, flags, 512, 0, 0)


def ipv6(hop, payload=b""):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), 17, hop,
                       b"\x20" + b"\x00" * 15, b"\x20" + b"\x00" * 14 + b"\x01") + payload


def arp(op):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + SRC + bytes(4) + DST + bytes(4)


pkts = [
    eth(0x0800, ipv4(17, udp(53, b"\x01\x02\x03\x04\x05\x06\x07\x08\x09"))),
    eth(0x0800, ipv4(17, udp(123, b"\xaa\x10\xaa\x20"))),
    eth(0x0800, ipv4(17, udp(7, b"echo"))),
    eth(0x0800, ipv4(17, udp(443, b"tls!"))),
    eth(0x0800, ipv4(17, udp(9, b"\xaa\x01\xff\x02"))),
    eth(0x0800, ipv4(17, udp(9, b"\x01\xee\x02\x03"))),
    eth(0x0800, ipv4(17, udp(9, b"\x11"))),
    eth(0x0800, ipv4(17, udp(9))[:24]),
    eth(0x0800, ipv4(6, tcp(0x02))),
    eth(0x0800, ipv4(6, tcp(0x12))),
    eth(0x0800, ipv4(6, tcp(0x10))[:30]),
    eth(0x0800, ipv4(1, b"\x08\x00\x00\x00", ttl=1)),
    eth(0x0800, ipv4(17, udp(53, b"opts"), ihl=6)),
    eth(0x0800, ipv4(17, udp(53), ihl=4)),
    eth(0x0800, ipv4(17, udp(53))[:12]),
    eth(0x86dd, ipv6(5, udp(53, b"six"))),
    eth(0x86dd, ipv6(0)),
    eth(0x86dd, ipv6(5)[:20]),
    eth(0x0806, arp(1)),
    eth(0x0806, arp(2)),
    eth(0x0800, ipv4(17, udp(53, b"vlan")), vlan=100),
    eth(0x0800, b"", vlan=5)[:16],
    eth(0x88cc, b"lldp" * 10),
    eth(0x0800, ipv4(17, udp(53, bytes(range(256)) * 4))),
    DST + SRC,
    # Rules of gen_big.py (ports 1000 and up).
    eth(0x0800, ipv4(17, udp(1000, b"r0"))),
    eth(0x0800, ipv4(17, udp(1007, b"r7"), ttl=3)),
    eth(0x0800, ipv4(6, udp(1100, b"tcp?"))),
    eth(0x0800, ipv4(17, udp(1239, b"last"))),
]
for p in pkts:
    print(p.hex())
