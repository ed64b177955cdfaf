#include "libinxpect/elf_file.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>

#include <cerrno>

#include "libinxpect/error.h"
#include "libinxpect/fd.h"

namespace inxpect {
namespace {

// An open ELF handle that ends itself (and closes its file, if it has one).
class ElfHandle {
 public:
  explicit ElfHandle(const std::string& path) : origin_(path) {
    init();
    fd_.reset(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd_) throw errno_error("cannot open " + path, errno);
    check(elf_begin(fd_.get(), ELF_C_READ, nullptr));
  }
  ElfHandle(std::string_view bytes, const std::string& origin) : origin_(origin) {
    init();
    check(elf_memory(const_cast<char*>(bytes.data()), bytes.size()));
  }
  ~ElfHandle() {
    if (elf_) elf_end(elf_);
  }
  ElfHandle(const ElfHandle&) = delete;
  ElfHandle& operator=(const ElfHandle&) = delete;
  Elf* get() const { return elf_; }
  const std::string& origin() const { return origin_; }

 private:
  static void init() {
    if (elf_version(EV_CURRENT) == EV_NONE) throw Error("libelf is unusable");
  }
  void check(Elf* elf) {
    elf_ = elf;
    if (!elf_ || elf_kind(elf_) != ELF_K_ELF)
      throw Error(
          origin_ + " is not an ELF object (expected a BPF .o built with clang -target bpf)",
          Errc::BadInput);
  }
  std::string origin_;
  Fd fd_;
  Elf* elf_ = nullptr;
};

std::optional<std::string> find_section(const ElfHandle& elf, const std::string& name) {
  size_t shstrndx;
  if (elf_getshdrstrndx(elf.get(), &shstrndx))
    throw Error(elf.origin() + ": no section name table", Errc::BadInput);
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr)) continue;
    const char* sname = elf_strptr(elf.get(), shstrndx, shdr.sh_name);
    if (!sname || name != sname) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || !data->d_buf) return std::string();
    return std::string(static_cast<const char*>(data->d_buf), data->d_size);
  }
  return std::nullopt;
}

}  // namespace

void check_bpf_object(const std::string& path) {
  ElfHandle elf(path);
  GElf_Ehdr ehdr;
  if (!gelf_getehdr(elf.get(), &ehdr))
    throw Error(path + ": unreadable ELF header", Errc::BadInput);
  if (ehdr.e_machine != EM_BPF)
    throw Error(path + " is not a BPF object (ELF machine " + std::to_string(ehdr.e_machine) +
                    ", expected EM_BPF; build it with clang -target bpf)",
                Errc::BadInput);
}

std::optional<std::string> read_elf_section(const std::string& path, const std::string& name) {
  return find_section(ElfHandle(path), name);
}

std::optional<std::string> read_elf_section(std::string_view elf, const std::string& name,
                                            const std::string& origin) {
  return find_section(ElfHandle(elf, origin), name);
}

}  // namespace inxpect
