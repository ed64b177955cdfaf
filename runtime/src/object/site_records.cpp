#include "libinxpect/site_records.h"

#include <bpf/btf.h>

#include <algorithm>
#include <memory>

#include "inxpect/abi.h"
#include "libinxpect/elf_file.h"
#include "libinxpect/error.h"

namespace inxpect {
namespace {

// Reads the control section through the object's own BTF (clang writes the
// variables' offsets into it), then appends the older section.  `read`
// gives a section's bytes.
template <class Read>
std::optional<std::string> read_records(Read read, const std::string& origin) {
  std::optional<std::string> out;
  std::optional<std::string> raw = read(".BTF");
  std::optional<std::string> data = read(INXPECT_CTL_SECTION);
  if (raw && data) {
    BtfPtr b(btf__new(raw->data(), raw->size()));
    if (!b) throw Error(origin + ": its BTF is unreadable", Errc::BadInput);
    int sec = btf__find_by_name_kind(b.get(), INXPECT_CTL_SECTION, BTF_KIND_DATASEC);
    if (sec > 0) {
      std::string recs = site_records(datasec_vars(b.get(), sec), *data);
      if (!recs.empty()) out = std::move(recs);
    }
  }
  if (std::optional<std::string> old = read(INXPECT_SITES_SECTION)) out = out.value_or("") + *old;
  return out;
}

}  // namespace

void BtfFree::operator()(btf* b) const { btf__free(b); }

std::vector<BtfVar> datasec_vars(const btf* b, uint32_t datasec_id) {
  std::vector<BtfVar> out;
  const btf_type* t = btf__type_by_id(b, datasec_id);
  if (!t || !btf_is_datasec(t)) return out;
  const btf_var_secinfo* vs = btf_var_secinfos(t);
  for (unsigned i = 0; i < btf_vlen(t); i++, vs++) {
    const btf_type* var = btf__type_by_id(b, vs->type);
    if (!var) continue;
    out.push_back({btf__name_by_offset(b, var->name_off), vs->offset, vs->size});
  }
  std::sort(out.begin(), out.end(),
            [](const BtfVar& a, const BtfVar& c) { return a.offset < c.offset; });
  return out;
}

std::string site_records(const std::vector<BtfVar>& vars, std::string_view data) {
  std::string out;
  for (const BtfVar& v : vars) {
    if (v.name.find(INXPECT_SITE_VAR) == std::string::npos) continue;
    if (v.offset > data.size() || v.size > data.size() - v.offset)
      throw Error("site record " + v.name + " lies outside its section", Errc::BadInput);
    // A NUL between records, should a variable lack its terminator.
    out.append(data.substr(v.offset, v.size)).push_back('\0');
  }
  return out;
}

std::optional<BtfVar> control_var(const std::vector<BtfVar>& vars) {
  for (const BtfVar& v : vars)
    if (v.name == INXPECT_CTL_VAR) return v;
  return std::nullopt;
}

std::optional<std::string> read_site_records(const std::string& path) {
  return read_records([&](const std::string& name) { return read_elf_section(path, name); }, path);
}

std::optional<std::string> read_site_records(std::string_view elf, const std::string& origin) {
  return read_records([&](const std::string& name) { return read_elf_section(elf, name, origin); },
                      origin);
}

}  // namespace inxpect
