#include "libinxpect/elf_file.h"

#include <bpf/libbpf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "libinxpect/error.h"
#include "libbpf_log.h"

namespace inxpect {
namespace {

// An open ELF handle that closes itself.
class ElfHandle {
 public:
  explicit ElfHandle(const std::string& path) {
    if (elf_version(EV_CURRENT) == EV_NONE) throw Error("libelf is unusable");
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(errno_message("cannot open " + path, errno));
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    if (!elf_ || elf_kind(elf_) != ELF_K_ELF) {
      close();
      throw Error(path + " is not an ELF object (expected a BPF .o built with clang -target bpf)");
    }
  }
  ~ElfHandle() { close(); }
  ElfHandle(const ElfHandle&) = delete;
  ElfHandle& operator=(const ElfHandle&) = delete;
  Elf* get() const { return elf_; }

 private:
  void close() {
    if (elf_) elf_end(elf_);
    if (fd_ >= 0) ::close(fd_);
    elf_ = nullptr;
    fd_ = -1;
  }
  int fd_ = -1;
  Elf* elf_ = nullptr;
};

}  // namespace

void check_bpf_object(const std::string& path) {
  ElfHandle elf(path);
  GElf_Ehdr ehdr;
  if (!gelf_getehdr(elf.get(), &ehdr)) throw Error(path + ": unreadable ELF header");
  if (ehdr.e_machine != EM_BPF)
    throw Error(path + " is not a BPF object (ELF machine " + std::to_string(ehdr.e_machine) +
                ", expected EM_BPF; build it with clang -target bpf)");
}

std::optional<std::string> read_elf_section(const std::string& path, const std::string& name) {
  ElfHandle elf(path);
  size_t shstrndx;
  if (elf_getshdrstrndx(elf.get(), &shstrndx)) throw Error(path + ": no section name table");
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

std::vector<ProgramInfo> read_programs(const std::string& path) {
  LibbpfLog log;
  bpf_object* obj = bpf_object__open_file(path.c_str(), nullptr);
  if (!obj) throw Error(errno_message("cannot read BPF object " + path, errno) + "\n" + log.tail(5));
  std::vector<ProgramInfo> out;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    out.push_back({bpf_program__name(prog), bpf_program__section_name(prog)});
  }
  bpf_object__close(obj);
  return out;
}

}  // namespace inxpect
