// Packets to profile with: generated from a spec, or read from a pcap file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace inxpect {

using Packet = std::vector<uint8_t>;

// Generates Ethernet frames from a spec such as
//   "udp4,count=1000,size=128,src=10.0.0.0/24,dst=192.168.0.0/16,sport=1024-65535,dport=53"
// Several specs may be joined with ';'.  Protocols: udp4, tcp4, udp6, tcp6.
// Keys (all optional): count (1000), size (frame bytes without FCS; 64, or
// the headers alone where they are longer),
// src, dst (address or CIDR range), sport, dport (port or range), ttl (64),
// seed.  Addresses and ports are drawn uniformly from their ranges with a
// fixed seed, so the same spec always gives the same packets.
// Checksums (IPv4 header, UDP/TCP) are correct.  Throws Error on a bad spec.
std::vector<Packet> generate_packets(const std::string& spec);

// Reads a classic pcap file (not pcapng) with Ethernet link type.
std::vector<Packet> read_pcap(const std::string& path);
// Writes `packets` as a classic pcap file with Ethernet link type.
void write_pcap(const std::string& path, const std::vector<Packet>& packets);

}  // namespace inxpect
