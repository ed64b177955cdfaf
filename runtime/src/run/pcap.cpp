// Classic pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html).
#include <cerrno>
#include <cstdint>
#include <fstream>

#include "libinxpect/error.h"
#include "libinxpect/packets.h"

namespace inxpect {
namespace {

constexpr uint32_t kMagicUsec = 0xa1b2c3d4, kMagicNsec = 0xa1b23c4d;
constexpr uint32_t kLinkEthernet = 1;
constexpr uint32_t kMaxFrame = 262144;

struct FileHeader {
  uint32_t magic;
  uint16_t major, minor;
  int32_t zone;
  uint32_t sigfigs, snaplen, linktype;
};
struct RecordHeader {
  uint32_t sec, frac, caplen, len;
};

uint32_t swap32(uint32_t v) { return __builtin_bswap32(v); }

}  // namespace

std::vector<Packet> read_pcap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw errno_error("cannot read " + path, errno);
  FileHeader h;
  if (!in.read(reinterpret_cast<char*>(&h), sizeof(h)))
    throw Error(path + " is not a pcap file (too short)", Errc::BadInput);
  bool swapped = h.magic == swap32(kMagicUsec) || h.magic == swap32(kMagicNsec);
  if (!swapped && h.magic != kMagicUsec && h.magic != kMagicNsec)
    throw Error(
        path +
            " is not a classic pcap file (pcapng is not supported; convert with editcap -F pcap)",
        Errc::BadInput);
  uint32_t link = swapped ? swap32(h.linktype) : h.linktype;
  if ((link & 0xffff) != kLinkEthernet)
    throw Error(path + ": link type " + std::to_string(link) + " is not Ethernet", Errc::BadInput);
  std::vector<Packet> out;
  RecordHeader r;
  while (in.read(reinterpret_cast<char*>(&r), sizeof(r))) {
    uint32_t caplen = swapped ? swap32(r.caplen) : r.caplen;
    if (caplen > kMaxFrame)
      throw Error(path + ": record " + std::to_string(out.size() + 1) + " is corrupt",
                  Errc::BadInput);
    Packet p(caplen);
    if (!in.read(reinterpret_cast<char*>(p.data()), caplen))
      throw Error(path + ": record " + std::to_string(out.size() + 1) + " is truncated",
                  Errc::BadInput);
    out.push_back(std::move(p));
  }
  if (out.empty()) throw Error(path + " holds no packets", Errc::BadInput);
  return out;
}

void write_pcap(const std::string& path, const std::vector<Packet>& packets) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw errno_error("cannot write " + path, errno);
  FileHeader h{kMagicUsec, 2, 4, 0, 0, kMaxFrame, kLinkEthernet};
  out.write(reinterpret_cast<const char*>(&h), sizeof(h));
  for (const Packet& p : packets) {
    RecordHeader r{0, 0, static_cast<uint32_t>(p.size()), static_cast<uint32_t>(p.size())};
    out.write(reinterpret_cast<const char*>(&r), sizeof(r));
    out.write(reinterpret_cast<const char*>(p.data()), static_cast<std::streamsize>(p.size()));
  }
  if (!out) throw errno_error("cannot write " + path, errno);
}

}  // namespace inxpect
