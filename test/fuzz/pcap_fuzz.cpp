// libFuzzer target: the pcap reader over any bytes.  It must refuse what is
// not a capture with an Error and never hand out a packet larger than a
// frame can be.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "libinxpect/error.h"
#include "libinxpect/packets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    auto in = inxpect::pcap_reader(std::make_unique<std::istringstream>(bytes), "fuzz.pcap");
    size_t total = 0;
    for (inxpect::Packet p; in->next(p);) {
      if (p.size() > 262144) std::abort();
      total += p.size() + 16;
      if (total > size) std::abort();  // more bytes out than came in
    }
  } catch (const inxpect::Error&) {
  }
  return 0;
}
