#include <cmath>

#include "formats.h"
#include "libinxpect/views.h"

namespace inxpect {

void FoldedFormatter::write(const Report& r, std::ostream& out) const {
  for (const PathRow& p : r.paths) {
    double w = std::llround(path_total(p, 0, true));
    if (w <= 0) continue;  // flamegraph.pl and inferno skip them anyway
    out << frame_prefix(r) << p.path << " " << static_cast<long long>(w) << "\n";
  }
}

}  // namespace inxpect
