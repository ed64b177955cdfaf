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

// Reads one record ahead, so an empty capture is refused before any run.
class PcapReader : public PacketSource {
 public:
  PcapReader(std::unique_ptr<std::istream> in, const std::string& origin)
      : in_(std::move(in)), origin_(origin) {
    FileHeader h;
    if (!in_->read(reinterpret_cast<char*>(&h), sizeof(h)))
      throw Error(origin_ + " is not a pcap file (too short)", Errc::BadInput);
    swapped_ = h.magic == swap32(kMagicUsec) || h.magic == swap32(kMagicNsec);
    if (!swapped_ && h.magic != kMagicUsec && h.magic != kMagicNsec)
      throw Error(origin_ +
                      " is not a classic pcap file (pcapng is not supported; convert with editcap "
                      "-F pcap)",
                  Errc::BadInput);
    uint32_t link = swapped_ ? swap32(h.linktype) : h.linktype;
    if ((link & 0xffff) != kLinkEthernet)
      throw Error(origin_ + ": link type " + std::to_string(link) + " is not Ethernet",
                  Errc::BadInput);
    have_ = read_record(ahead_);
    if (!have_) throw Error(origin_ + " holds no packets", Errc::BadInput);
  }

  bool next(Packet& out) override {
    if (!have_) return false;
    out.swap(ahead_);
    have_ = read_record(ahead_);
    return true;
  }

 private:
  bool read_record(Packet& p) {
    RecordHeader r;
    if (!in_->read(reinterpret_cast<char*>(&r), sizeof(r))) {
      if (in_->gcount() != 0)
        throw Error(origin_ + ": record " + std::to_string(records_ + 1) + " is truncated",
                    Errc::BadInput);
      return false;
    }
    records_++;
    uint32_t caplen = swapped_ ? swap32(r.caplen) : r.caplen;
    if (caplen > kMaxFrame)
      throw Error(origin_ + ": record " + std::to_string(records_) + " is corrupt (" +
                      std::to_string(caplen) + " bytes captured, at most " +
                      std::to_string(kMaxFrame) + ")",
                  Errc::BadInput);
    p.resize(caplen);
    if (!in_->read(reinterpret_cast<char*>(p.data()), caplen))
      throw Error(origin_ + ": record " + std::to_string(records_) + " is truncated",
                  Errc::BadInput);
    return true;
  }

  std::unique_ptr<std::istream> in_;
  std::string origin_;
  bool swapped_ = false;
  uint64_t records_ = 0;
  Packet ahead_;
  bool have_ = false;
};

}  // namespace

std::unique_ptr<PacketSource> pcap_reader(std::unique_ptr<std::istream> in,
                                          const std::string& origin) {
  return std::make_unique<PcapReader>(std::move(in), origin);
}

std::unique_ptr<PacketSource> pcap_reader(const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) throw errno_error("cannot read " + path, errno);
  return pcap_reader(std::move(in), path);
}

std::vector<Packet> read_pcap(const std::string& path) {
  std::vector<Packet> out;
  auto in = pcap_reader(path);
  for (Packet p; in->next(p);) out.push_back(std::move(p));
  return out;
}

PcapWriter::PcapWriter(const std::string& path)
    : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
  if (!out_) throw errno_error("cannot write " + path, errno);
  FileHeader h{kMagicUsec, 2, 4, 0, 0, kMaxFrame, kLinkEthernet};
  out_.write(reinterpret_cast<const char*>(&h), sizeof(h));
  check();
}

void PcapWriter::write(const Packet& p) {
  RecordHeader r{0, 0, static_cast<uint32_t>(p.size()), static_cast<uint32_t>(p.size())};
  out_.write(reinterpret_cast<const char*>(&r), sizeof(r));
  out_.write(reinterpret_cast<const char*>(p.data()), static_cast<std::streamsize>(p.size()));
  check();
}

void PcapWriter::close() {
  out_.close();
  check();
}

void PcapWriter::check() {
  if (!out_) throw errno_error("cannot write " + path_, errno);
}

void write_pcap(const std::string& path, const std::vector<Packet>& packets) {
  PcapWriter w(path);
  for (const Packet& p : packets) w.write(p);
  w.close();
}

}  // namespace inxpect
