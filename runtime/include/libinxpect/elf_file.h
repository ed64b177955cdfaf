// Reading the parts of a BPF ELF object that libbpf does not expose.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace inxpect {

// Throws Error unless `path` is a readable 64-bit ELF for EM_BPF.
void check_bpf_object(const std::string& path);

// The raw bytes of section `name`, or nullopt when the object lacks it.
std::optional<std::string> read_elf_section(const std::string& path, const std::string& name);

struct ProgramInfo {
  std::string name;
  std::string section;  // ELF section, such as "xdp"
};

// The BPF programs of the object, in ELF order, read without loading them
// (no privileges needed).  Throws Error when libbpf cannot parse the object.
std::vector<ProgramInfo> read_programs(const std::string& path);

}  // namespace inxpect
