// libFuzzer target: the --map file parser.  The first two bytes choose the
// map's key and value sizes (0 to 63), the rest is the file.  Every entry
// it accepts has exactly the map's sizes; a per-CPU value is the value on
// every CPU.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "libinxpect/error.h"
#include "libinxpect/map_fill.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  size_t key = data[0] % 64, value = data[1] % 64;
  std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  try {
    for (const inxpect::MapEntry& e : inxpect::parse_map_entries(text, "fuzz", key, value)) {
      if (e.first.size() != key || e.second.size() != value) std::abort();
      size_t ncpus = 1 + data[0] % 7;
      std::vector<uint8_t> all = inxpect::per_cpu_value(e.second, ncpus);
      size_t slot = (value + 7) / 8 * 8;
      if (all.size() != slot * ncpus) std::abort();
      for (size_t c = 0; c < ncpus; c++)
        if (value && std::memcmp(all.data() + c * slot, e.second.data(), value)) std::abort();
    }
  } catch (const inxpect::Error&) {
  }
  return 0;
}
