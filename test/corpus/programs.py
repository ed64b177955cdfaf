"""The real-world corpus: XDP programs of the kernel's selftests and
samples, built from linux-source-6.12 as Debian ships it, never copied here.

Each Program names its source in the tarball, what else it includes, the
maps its selftest sets up (as bytes, packed here), ELF sections libbpf does
not know (loaded as ip/tc would load them), and a packet corpus that goes
down its paths.  Masks leave out of the comparison what a program derives
from the clock (ktime, syncookies, TCP timestamps); "nz" compares only
whether a field is zero.
"""
import struct
from dataclasses import dataclass, field

from packets import (PKT_V4, PKT_V6, arp, eth, icmp, icmp6, ip4, ip6, ipv4, ipv6, tcp, tcp4,
                     tcp6, udp)

SELFTESTS = "tools/testing/selftests/bpf"
PROGS = SELFTESTS + "/progs"
SAMPLES = "samples/bpf"
AF_INET, AF_INET6 = 2, 10


@dataclass
class Pkt:
    data: bytes
    mask: list = field(default_factory=list)  # (offset, length) of the output left out


@dataclass
class Program:
    name: str
    src: str                      # path in the tarball
    needs: list = field(default_factory=list)  # other files of the tarball it includes
    vmlinux: bool = False         # includes vmlinux.h (generated from this kernel's BTF)
    cflags: list = field(default_factory=list)
    types: dict = field(default_factory=dict)  # ELF section -> xdp | tc | off
    maps: dict = field(default_factory=dict)   # map -> [(key bytes, value bytes)]
    packets: list = field(default_factory=list)
    # map -> [(offset, length, how)]: bytes of every value of the map left
    # out of the comparison (how "any") or compared as zero/non-zero ("nz").
    map_masks: dict = field(default_factory=dict)
    why: str = ""                 # what the program is, for the report
    # samples/bpf *_kern.c: the kernel's own headers (Debian's linux-headers),
    # as samples/bpf/Makefile includes them.  That Makefile compiles them for
    # the host and lowers the IR with llc; built with -target bpf (as
    # inxpect-cc builds), some do not compile: those report skipped.
    kernel_headers: bool = False
    # A limitation of InXpect this program meets: the instrumented builds
    # must fail to load with this in the verifier's words (and the test
    # fails once they load, so that the entry goes).
    known_failure: str = ""
    # The same for one mode: mode -> the verifier's words.
    mode_failures: dict = field(default_factory=dict)


def P(data, mask=()):
    return Pkt(data, list(mask))


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def be16(v):
    return struct.pack("!H", v)


# --- test_xdp.c, test_xdp_loop.c, test_xdp_dynptr.c: IP-in-IP encapsulation
# (test_iptunnel_common.h: struct vip is 24 bytes, struct iptnl_info 40).
def vip(daddr16, dport_be, family, proto):
    return daddr16 + dport_be + u16(family) + bytes([proto]) + bytes(3)


def iptnl(saddr16, daddr16, family, dmac):
    return saddr16 + daddr16 + u16(family) + dmac


def v4in16(a):
    return ip4(a) + bytes(12)


IPTNL_MAPS = {
    "vip2tnl": [
        # The selftest's two entries (prog_tests/xdp.c): pkt_v4 and pkt_v6.
        (vip(bytes(16), be16(0), AF_INET, 6), iptnl(bytes(16), bytes(16), AF_INET, bytes(6))),
        (vip(bytes(16), be16(0), AF_INET6, 6), iptnl(bytes(16), bytes(16), AF_INET6, bytes(6))),
        # And real ones: TCP 10.0.0.1:80, UDP [2001:db8::1]:53, and a v4 VIP
        # whose tunnel is v6 (passed: "it only does v4-in-v4").
        (vip(v4in16("10.0.0.1"), be16(80), AF_INET, 6),
         iptnl(v4in16("192.168.0.1"), v4in16("192.168.0.2"), AF_INET,
               bytes.fromhex("0a0b0c0d0e0f"))),
        (vip(ip6("2001:db8::1"), be16(53), AF_INET6, 17),
         iptnl(ip6("fd00::1"), ip6("fd00::2"), AF_INET6, bytes.fromhex("0a0b0c0d0e10"))),
        (vip(v4in16("10.0.0.1"), be16(443), AF_INET, 6),
         iptnl(ip6("fd00::1"), ip6("fd00::2"), AF_INET6, bytes(6))),
    ],
}
IPTNL_PACKETS = [
    P(PKT_V4), P(PKT_V6),
    P(eth(0x0800, tcp4(dport=80))),
    P(eth(0x0800, tcp4(dport=443))),
    P(eth(0x0800, tcp4(dport=22))),
    P(eth(0x0800, ipv4(17, udp(dport=53)))),
    P(eth(0x86dd, ipv6(17, udp(dport=53, payload=b"query")))),
    P(eth(0x86dd, tcp6(dport=53))),
    P(eth(0x0800, ipv4(1, icmp(8)))),
    P(eth(0x0800, ipv4(6, tcp(dport=80))[:30])),
    P(eth(0x0800, b"")[:14] + bytes(10)),
    P(eth(0x86dd, ipv6(17, b"")[:30])),
    P(eth(0x0806, arp(1))),
]

# --- test_xdp_noinline.c: the balancer derived from Katran.  Its selftest's
# setup: VIP {proto 6} -> vip_num 5, ch_rings[11] = 3, reals[3] = 0x1234.
VIP_NUM, MAGIC_VAL = 5, 0x1234
NOINLINE_MAPS = {
    "vip_map": [(bytes(20) + bytes([6]) + bytes(3), u32(0) + u32(VIP_NUM)),
                # a UDP VIP 10.0.0.1:53 with flags "hash 16 bytes" and "no LRU"
                (v4in16("10.0.0.1") + be16(53) + u16(0) + bytes([17]) + bytes(3),
                 u32((1 << 2) | (1 << 1)) + u32(7))],
    "ch_rings": [(u32(11), u32(3)), (u32(10), u32(4)), (u32(14), u32(4)), (u32(15), u32(3))],
    "reals": [(u32(3), u32(MAGIC_VAL) + bytes(12) + bytes([0]) + bytes(3)),
              (u32(4), ip6("fd00::4") + bytes([1]) + bytes(3))],
    "ctl_array": [(u32(0), bytes.fromhex("0a0b0c0d0e0f") + bytes(2))],
}
NOINLINE_PACKETS = [
    P(PKT_V4), P(PKT_V6),
    P(PKT_V4[:14] + bytes([0x45]) + PKT_V4[15:]),          # ihl 5, version 4: same hash
    P(eth(0x0800, ipv4(1, icmp(8, payload=b"ping" * 4)))),  # echo -> reply (TX)
    P(eth(0x0800, ipv4(1, icmp(3, 4, payload=ipv4(6, tcp(dport=0)))))),  # frag needed
    P(eth(0x0800, ipv4(1, icmp(3, 1)))),
    P(eth(0x86dd, ipv6(58, icmp6(128, payload=b"ping")))),
    P(eth(0x86dd, ipv6(58, icmp6(3, payload=ipv6(6, tcp()))))),
    P(eth(0x86dd, ipv6(59, b"\0" * 8))),
    P(eth(0x86dd, ipv6(45, b"\0" * 8))),
    P(eth(0x0800, ipv4(17, udp(dport=53, payload=b"dns")))),
    P(eth(0x0800, ipv4(17, udp(dport=54)))),
    P(eth(0x0800, tcp4(dport=80, flags=0x02))),
    P(eth(0x0800, ipv4(6, tcp(), ihl=6))),
    P(eth(0x0800, ipv4(6, tcp(), frag=0x2001))),
    P(eth(0x0800, ipv4(47, b"gre!"))),
    P(eth(0x0800, ipv4(6, tcp(), tot_len=1500) + bytes(1400))),
    P(eth(0x0806, arp(1))),
]

# --- xdping_kern.c: ping_map keyed by the peer's address (xdping.h:
# struct pinginfo {u64 start; be16 seq; u16 count; u32 pad; u64 times[10]}).
def echo(type_, seq, src="10.0.0.2", dst="10.0.0.1"):
    return eth(0x0800, ipv4(1, icmp(type_, rest=be16(0x4242) + be16(seq), payload=bytes(56)),
                             src=src, dst=dst))


XDPING_MAPS = {"ping_map": [(ip4("10.0.0.2"), u64(0) + be16(0) + u16(4) + u32(0) + bytes(80))]}
XDPING_PACKETS = [P(echo(0, s)) for s in range(6)] + [
    P(echo(0, 9)), P(echo(0, 0, src="10.9.9.9")), P(echo(8, 1)), P(echo(8, 1)[:80]),
    P(eth(0x0800, ipv4(17, udp(payload=bytes(56))))), P(eth(0x0806, arp(1)) + bytes(60)),
]

# --- test_xdp_vlan.c: SEC names for ip/tc (libbpf does not know them).
VLAN_TYPES = {"xdp_drop_vlan_4011": "xdp", "xdp_vlan_change": "xdp",
              "xdp_vlan_remove_outer": "xdp", "xdp_vlan_remove_outer2": "xdp",
              "tc_vlan_push": "tc"}
VLAN_PACKETS = [
    P(eth(0x0800, ipv4(17, udp()), vlans=[(0x8100, 4011)])),
    P(eth(0x0800, ipv4(17, udp()), vlans=[(0x8100, 0x2000 | 4011)])),
    P(eth(0x0800, ipv4(17, udp()), vlans=[(0x8100, 100)])),
    P(eth(0x0800, ipv4(17, udp()), vlans=[(0x88a8, 4011), (0x8100, 7)])),
    P(eth(0x86dd, ipv6(17, udp()), vlans=[(0x88a8, 300), (0x8100, 4011)])),
    P(eth(0x0800, ipv4(17, udp()))),
    P(eth(0x0800, b"", vlans=[(0x8100, 4011)])[:18]),
]

# --- xdpwall.c
XDPWALL_MAPS = {
    "v6_addr_map": [(ip6("2001:db8::2"), b"\1")],
    "v4_addr_map": [(ip4("10.0.0.2"), b"\1")],
    "v4_lpm_val_map": [(u32(24) + ip4("10.0.0.0"), u32(24) + ip4("10.0.0.0") + b"\1" + bytes(3))],
    "tcp_port_map": [(u32(8), b"\1")],
    "udp_port_map": [(u32(7), u16(1)), (u32(9), u16(2))],
}


def gue6(inner):
    return eth(0x86dd, ipv6(17, udp(sport=40000, dport=6666) + inner))


XDPWALL_PACKETS = [
    P(eth(0x86dd, tcp6(dport=8, flags=0x02))),
    P(eth(0x86dd, tcp6(dport=8, flags=0x10))),
    P(eth(0x86dd, tcp6(dport=9, flags=0x04))),
    P(eth(0x86dd, tcp6(src="2001:db8::9", dport=8, flags=0x18))),
    P(eth(0x86dd, ipv6(17, udp(sport=9, dport=7)))),
    P(eth(0x86dd, ipv6(58, icmp6(128)))),
    P(eth(0x86dd, ipv6(47, b"gre!"))),
    P(gue6(tcp4(dport=8, flags=0x10))),
    P(gue6(ipv4(17, udp(sport=7, dport=9), src="10.0.0.7"))),
    P(gue6(tcp6(dport=8, flags=0x02))),
    P(gue6(b"\x45")),
    P(eth(0x86dd, ipv6(17, b"\0\0"))),
    P(eth(0x0800, tcp4())),
]

# --- xdp_synproxy_kern.c: allowed_ports and values as its user tool sets
# them (--ports 8080, --mss4 1460 --mss6 1440 --wscale 7 --ttl 64).  The
# SYN-ACK's sequence number (a syncookie: secret and minute), its TCP
# checksum and its timestamp (milliseconds) are masked.
SYN_OPTS = bytes([2, 4, 0x05, 0xb4, 4, 2, 8, 10]) + u32(0x01020304)[::-1] + bytes(4) + \
    bytes([1, 3, 3, 7])
SYNACK4 = [(38, 4), (50, 2), (62, 4)]
SYNACK6 = [(58, 4), (70, 2), (82, 4)]
SYNPROXY_MAPS = {
    "allowed_ports": [(u32(0), u16(8080)), (u32(1), u16(8081))],
    "values": [(u32(0), u64((64 << 24) | (7 << 16) | 1460 | (1440 << 32)))],
}
SYNPROXY_PACKETS = [
    P(eth(0x0800, tcp4(dport=8080, flags=0x02, seq=1000, opts=SYN_OPTS)), SYNACK4),
    P(eth(0x0800, tcp4(dport=8081, flags=0x02, seq=2000, opts=bytes([2, 4, 5, 0xb4]))),
      [(38, 4), (50, 2)]),
    P(eth(0x0800, tcp4(dport=8080, flags=0x02 | 0x40 | 0x80, seq=3000, opts=SYN_OPTS)), SYNACK4),
    P(eth(0x86dd, tcp6(dport=8080, flags=0x02, seq=4000, opts=SYN_OPTS)), SYNACK6),
    P(eth(0x0800, tcp4(dport=80, flags=0x02))),
    P(eth(0x0800, tcp4(dport=8080, flags=0x03))),
    P(eth(0x0800, tcp4(dport=8080, flags=0x10, seq=1001, ack=12345))),
    P(eth(0x86dd, tcp6(dport=8080, flags=0x10, seq=4001, ack=12345))),
    P(eth(0x0800, ipv4(6, tcp(dport=8080, flags=0x02)))),              # bad TCP checksum
    P(eth(0x0800, tcp4(dport=8080, flags=0x02, frag=0))),              # no DF
    P(eth(0x0800, ipv4(17, udp(dport=8080)))),
    P(eth(0x0800, tcp4(dport=8080)[:30])),
    P(eth(0x0806, arp(1))),
]

# --- samples/bpf/xdp_fwd_kern.c: bpf_fib_lookup, devmap of TX ports.
FWD_TYPES = {"xdp_fwd": "xdp", "xdp_fwd_direct": "xdp"}

# --- test_xdp_update_frags.c: the first 4 bytes give the offset of a
# 16-byte marker (0xaa ... 0xaa) that it rewrites.
def frag(off, first=0xaa, size=128):
    body = bytearray(size)
    body[0:4] = u32(off)
    if off + 16 <= size:
        body[off] = first
        body[off + 15] = 0xaa
    return bytes(body)


FRAGS_PACKETS = [P(frag(16)), P(frag(100)), P(frag(40, first=0x55)), P(frag(120)),
                 P(frag(5000)), P(eth(0x0800, b"")[:14])]

PROGRAMS = [
    Program("test_xdp", PROGS + "/test_xdp.c",
            needs=[SELFTESTS + "/test_iptunnel_common.h"],
            maps=IPTNL_MAPS, packets=IPTNL_PACKETS,
            why="IPv4/IPv6-in-IP encapsulation (balancer front end), XDP_TX"),
    Program("test_xdp_loop", PROGS + "/test_xdp_loop.c",
            needs=[SELFTESTS + "/test_iptunnel_common.h"],
            maps=IPTNL_MAPS, packets=IPTNL_PACKETS,
            why="test_xdp with its checksum loop not unrolled"),
    Program("test_xdp_dynptr", PROGS + "/test_xdp_dynptr.c",
            needs=[SELFTESTS + "/test_iptunnel_common.h", SELFTESTS + "/bpf_kfuncs.h"],
            maps=IPTNL_MAPS, packets=IPTNL_PACKETS,
            why="test_xdp through dynptr kfuncs (bpf_dynptr_slice)"),
    Program("test_xdp_noinline", PROGS + "/test_xdp_noinline.c", cflags=["-fno-inline"],
            maps=NOINLINE_MAPS, packets=NOINLINE_PACKETS,
            # real_pos_lru.atime: a ktime, for UDP flows.
            map_masks={"lru_cache": [(8, 8, "nz")]},
            why="Katran-derived L4 balancer, BPF-to-BPF calls (-fno-inline as its selftest)"),
    Program("xdp_synproxy_kern", PROGS + "/xdp_synproxy_kern.c", vmlinux=True,
            maps=SYNPROXY_MAPS, packets=SYNPROXY_PACKETS,
            # With both copies, clang stores a register with a 32-bit
            # store on a path where it holds a stack pointer, which the
            # verifier refuses; neither the plain nor the basic-blocks
            # build shows it.
            mode_failures={"basic-blocks-bare": "invalid size of register spill"},
            why="SYN proxy: syncookies, TCP options through bpf_loop, conntrack kfuncs; vmlinux.h"),
    Program("xdping_kern", PROGS + "/xdping_kern.c", needs=[SELFTESTS + "/xdping.h"],
            maps=XDPING_MAPS, packets=XDPING_PACKETS,
            map_masks={"ping_map": [(0, 8, "nz")] + [(16 + 8 * i, 8, "nz") for i in range(10)]},
            why="ICMP echo client/server, RTTs in a hash map"),
    Program("test_xdp_vlan", PROGS + "/test_xdp_vlan.c", types=VLAN_TYPES,
            packets=VLAN_PACKETS,
            why="VLAN/QinQ parse, rewrite, tag removal (ip/tc section names)"),
    Program("xdpwall", PROGS + "/xdpwall.c", maps=XDPWALL_MAPS, packets=XDPWALL_PACKETS,
            why="edge firewall: IPv6, GUE tunnels, LPM, port maps"),
    Program("test_xdp_adjust_tail_grow", PROGS + "/test_xdp_adjust_tail_grow.c",
            packets=[P(PKT_V4), P(PKT_V6), P(PKT_V4 + bytes(10)), P(PKT_V4 + bytes(74)),
                     P(PKT_V4 + bytes(46))],
            why="bpf_xdp_adjust_tail growing the frame"),
    Program("test_xdp_adjust_tail_shrink", PROGS + "/test_xdp_adjust_tail_shrink.c",
            packets=[P(PKT_V4), P(PKT_V6), P(PKT_V4 + bytes(100))],
            why="bpf_xdp_adjust_tail shrinking the frame"),
    Program("test_xdp_update_frags", PROGS + "/test_xdp_update_frags.c",
            packets=FRAGS_PACKETS,
            why="xdp.frags: bpf_xdp_load_bytes/store_bytes"),
    Program("test_xdp_meta", PROGS + "/test_xdp_meta.c", types={"x": "xdp", "t": "tc"},
            packets=[P(PKT_V4), P(eth(0x0800, tcp4()))],
            why="bpf_xdp_adjust_meta, XDP and TC programs sharing metadata"),
    Program("xdp_flowtable", PROGS + "/xdp_flowtable.c", vmlinux=True,
            packets=[P(eth(0x0800, tcp4()))],
            why="netfilter flowtable offload (bpf_xdp_flow_lookup); vmlinux.h"),
    Program("xdp2skb_meta_kern", SAMPLES + "/xdp2skb_meta_kern.c", kernel_headers=True,
            types={"xdp_mark": "xdp", "tc_mark": "tc"},
            # It has no license section: not GPL-compatible, and the
            # verifier refuses any kfunc call there, even one to an
            # unresolved weak kfunc (inxpect.h's module calls) in dead code.
            known_failure="cannot call kernel function from non-GPL compatible program",
            packets=[P(PKT_V4), P(eth(0x0800, ipv4(1, icmp(8))))],
            why="samples/bpf: XDP metadata handed to TC (the kernel's headers)"),
    Program("xdp_fwd_kern", SAMPLES + "/xdp_fwd_kern.c", kernel_headers=True, types=FWD_TYPES,
            packets=[P(eth(0x0800, tcp4())), P(eth(0x86dd, tcp6())),
                     P(eth(0x0800, tcp4(ttl=1))), P(eth(0x0806, arp(1)))],
            why="samples/bpf: forwarding with bpf_fib_lookup (the kernel's headers)"),
    Program("xdp_adjust_tail_kern", SAMPLES + "/xdp_adjust_tail_kern.c", kernel_headers=True,
            types={"xdp_icmp": "xdp"},
            packets=[P(eth(0x0800, ipv4(17, udp(payload=bytes(700))))),
                     P(eth(0x0800, tcp4())), P(eth(0x86dd, tcp6()))],
            why="samples/bpf: ICMP 'fragmentation needed' for big frames (the kernel's headers)"),
    Program("xdp_tx_iptunnel_kern", SAMPLES + "/xdp_tx_iptunnel_kern.c", kernel_headers=True,
            needs=[SAMPLES + "/xdp_tx_iptunnel_common.h"], maps=IPTNL_MAPS,
            packets=IPTNL_PACKETS,
            why="samples/bpf: test_xdp's tunnel as a sample, xdp.frags (the kernel's headers)"),
]
