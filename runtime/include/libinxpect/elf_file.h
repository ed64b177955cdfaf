// Reading the parts of a BPF ELF object that libbpf does not expose.  No
// libbpf here: libelf only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace inxpect {

// Throws Error unless `path` is a readable 64-bit ELF for EM_BPF.
void check_bpf_object(const std::string& path);

// The raw bytes of section `name`, or nullopt when the object lacks it.
std::optional<std::string> read_elf_section(const std::string& path, const std::string& name);
// The same for an object in memory (a skeleton's embedded bytes); `origin`
// names it in errors.
std::optional<std::string> read_elf_section(std::string_view elf, const std::string& name,
                                            const std::string& origin);

}  // namespace inxpect
