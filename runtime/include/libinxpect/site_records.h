// Where an instrumented object keeps its site records (abi.h): variables of
// its control section, found by that section's BTF DATASEC.  The same
// reading serves an object file and a loaded program, whose control map
// holds the section's bytes and whose BTF the kernel keeps; objects built
// before keep them in the never-loaded INXPECT_SITES_SECTION instead.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct btf;

namespace inxpect {

// Owns a libbpf btf (btf__free on destruction).
struct BtfFree {
  void operator()(btf* b) const;
};
using BtfPtr = std::unique_ptr<btf, BtfFree>;

struct BtfVar {
  std::string name;
  uint32_t offset = 0;
  uint32_t size = 0;
};

// The variables of DATASEC `datasec_id` in `b`, in section order; empty
// when that type is not a DATASEC.
std::vector<BtfVar> datasec_vars(const btf* b, uint32_t datasec_id);

// The site records among `vars` (INXPECT_SITE_VAR in their names), read
// from `data`, the section's bytes, and joined in section order.  Throws
// Error when a variable lies outside `data`.
std::string site_records(const std::vector<BtfVar>& vars, std::string_view data);

// inxpect_ctl among `vars`, or nullopt.
std::optional<BtfVar> control_var(const std::vector<BtfVar>& vars);

// The records of an object file, or of one in memory (`origin` names it in
// errors): those of its control section, then those of
// INXPECT_SITES_SECTION; nullopt when it has neither.
std::optional<std::string> read_site_records(const std::string& path);
std::optional<std::string> read_site_records(std::string_view elf, const std::string& origin);

}  // namespace inxpect
