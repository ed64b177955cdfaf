"""Packet builders for the corpus: Ethernet, VLAN, IPv4 (options), IPv6,
TCP (options), UDP, ICMP, ICMPv6, ARP.  Checksums are correct unless a
builder is asked for a wrong one.  Every function returns bytes."""
import struct

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


def eth(proto, payload, dst=MAC_A, src=MAC_B, vlans=()):
    head = dst + src
    for tpid, vid in vlans:
        head += struct.pack("!HH", tpid, vid)
    return head + struct.pack("!H", proto) + payload


def ipv4(proto, payload, src="10.0.0.2", dst="10.0.0.1", ttl=64, ihl=5, frag=0x4000,
         tos=0, ident=1, bad_csum=False, tot_len=None):
    opts = b"\x01" * (4 * ihl - 20) if ihl > 5 else b""
    total = tot_len if tot_len is not None else 4 * max(ihl, 5) + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, total, ident, frag, ttl, proto, 0,
                      ip4(src), ip4(dst)) + opts
    c = csum(hdr) ^ (0xffff if bad_csum else 0)
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def ipv6(nexthdr, payload, src="2001:db8::2", dst="2001:db8::1", hop=64, plen=None):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload) if plen is None else plen,
                       nexthdr, hop, ip6(src), ip6(dst)) + payload


def _l4_csum(pseudo, seg):
    return csum(pseudo + seg)


def pseudo4(src, dst, proto, length):
    return ip4(src) + ip4(dst) + struct.pack("!BBH", 0, proto, length)


def pseudo6(src, dst, proto, length):
    return ip6(src) + ip6(dst) + struct.pack("!IxxxB", length, proto)


def tcp(sport=1234, dport=80, flags=0x02, seq=1, ack=0, opts=b"", payload=b"", window=512,
        pseudo=None):
    """pseudo: (pseudo4 or pseudo6, src, dst) for a correct checksum, else 0."""
    opts += b"\0" * (-len(opts) % 4)
    doff = (20 + len(opts)) // 4
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, window, 0,
                      0) + opts + payload
    if pseudo:
        fn, src, dst = pseudo
        c = _l4_csum(fn(src, dst, 6, len(seg)), seg)
        seg = seg[:16] + struct.pack("!H", c) + seg[18:]
    return seg


def tcp4(src="10.0.0.2", dst="10.0.0.1", **kw):
    """A TCP segment inside IPv4 with both checksums right."""
    ipkw = {k: kw.pop(k) for k in ("ttl", "ihl", "frag", "tos") if k in kw}
    return ipv4(6, tcp(pseudo=(pseudo4, src, dst), **kw), src=src, dst=dst, **ipkw)


def tcp6(src="2001:db8::2", dst="2001:db8::1", **kw):
    return ipv6(6, tcp(pseudo=(pseudo6, src, dst), **kw), src=src, dst=dst)


def udp(sport=1234, dport=53, payload=b""):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def icmp(type_, code=0, rest=b"\0\0\0\0", payload=b""):
    body = struct.pack("!BBH", type_, code, 0) + rest + payload
    return body[:2] + struct.pack("!H", csum(body)) + body[4:]


def icmp6(type_, code=0, rest=b"\0\0\0\0", payload=b""):
    # Checksum left 0: none of the programs check it.
    return struct.pack("!BBH", type_, code, 0) + rest + payload


def arp(op):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + MAC_B + ip4("10.0.0.2") + MAC_A + \
        ip4("10.0.0.1")


# The selftests' test vectors (network_helpers.c): pkt_v4 and pkt_v6, an
# all-zero Ethernet/IP/TCP frame with tot_len/payload_len MAGIC_BYTES (123),
# doff 5 and urg_ptr 123.
def _zero_tcp():
    return struct.pack("!HHIIBBHHH", 0, 0, 0, 0, 5 << 4, 0, 0, 0, 123)


PKT_V4 = bytes(12) + struct.pack("!H", 0x0800) + struct.pack(
    "!BBHHHBBH4s4s", 0x05, 0, 123, 0, 0, 0, 6, 0, bytes(4), bytes(4)) + _zero_tcp()
PKT_V6 = bytes(12) + struct.pack("!H", 0x86dd) + struct.pack(
    "!IHBB16s16s", 0, 123, 6, 0, bytes(16), bytes(16)) + _zero_tcp()
assert len(PKT_V4) == 54 and len(PKT_V6) == 74
