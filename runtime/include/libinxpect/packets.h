// Packets to profile with: generated from a spec, or read from a pcap file,
// one at a time (a run of 10^8 packets never holds them all), or all at
// once for small sets.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace inxpect {

using Packet = std::vector<uint8_t>;

// Packets, produced as they are asked for.
class PacketSource {
 public:
  virtual ~PacketSource() = default;
  // The next packet into `out` (its buffer is reused); false after the
  // last.  Throws Error on a corrupt input.
  virtual bool next(Packet& out) = 0;
};

// The packets of a spec such as
//   "udp4,count=1000,size=128,src=10.0.0.0/24,dst=192.168.0.0/16,sport=1024-65535,dport=53"
// Several specs may be joined with ';'.  Protocols: udp4, tcp4, udp6, tcp6.
// Keys (all optional): count (1000), size (frame bytes without FCS; 64, or
// the headers alone where they are longer),
// src, dst (address or CIDR range), sport, dport (port or range), ttl (64),
// seed.  Addresses and ports are drawn uniformly from their ranges with a
// fixed seed, so the same spec always gives the same packets.
// Checksums (IPv4 header, UDP/TCP) are correct.  Throws Error on a bad spec
// at once, before any packet is built.
std::unique_ptr<PacketSource> packet_generator(const std::string& spec);
// The same, all at once.
std::vector<Packet> generate_packets(const std::string& spec);

// A classic pcap file (not pcapng) with Ethernet link type, read a record
// at a time.  Throws Error at once when the file is not one or holds no
// packet; next() throws on a corrupt or truncated record.
std::unique_ptr<PacketSource> pcap_reader(const std::string& path);
// The same over a stream; `origin` names it in errors.
std::unique_ptr<PacketSource> pcap_reader(std::unique_ptr<std::istream> in,
                                          const std::string& origin);
// The same, all at once.
std::vector<Packet> read_pcap(const std::string& path);

// Writes packets as they come, as a classic pcap file with Ethernet link
// type.  Throws Error when the file cannot be written.
class PcapWriter {
 public:
  explicit PcapWriter(const std::string& path);
  void write(const Packet& p);
  // Flushes and closes; a write that failed is reported here at the latest.
  void close();

 private:
  void check();
  std::string path_;
  std::ofstream out_;
};
// The same, all at once.
void write_pcap(const std::string& path, const std::vector<Packet>& packets);

}  // namespace inxpect
