// libFuzzer target: the site records (abi.h) and the section
// table built from them, as an object nobody vetted carries them.  Besides
// memory errors (ASan, UBSan), it checks what the rest of the runtime
// relies on: ids are indices, parents are other sections, no nesting cycle.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libinxpect/error.h"
#include "libinxpect/section_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    inxpect::SectionTable t = inxpect::SectionTable::parse(bytes);
    const auto& secs = t.sections();
    for (size_t i = 0; i < secs.size(); i++) {
      const inxpect::Section& s = secs[i];
      if (s.id != i || s.name.empty() || t.find(s.name) != &s) std::abort();
      if (s.parent >= static_cast<int>(secs.size()) || s.parent == static_cast<int>(i))
        std::abort();
      if (s.depth > secs.size()) std::abort();
      size_t hops = 0;
      for (int p = s.parent; p >= 0; p = secs[static_cast<size_t>(p)].parent)
        if (++hops > secs.size()) std::abort();  // a cycle left in
    }
  } catch (const inxpect::Error&) {
    // Malformed records are refused with an error: that is the point.
  }
  return 0;
}
