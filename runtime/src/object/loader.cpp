#include "libinxpect/loader.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "inxpect/abi.h"
#include "libinxpect/elf_file.h"
#include "libinxpect/error.h"
#include "libinxpect/log.h"
#include "libinxpect/site_records.h"
#include "measure/countdowns.h"
#include "object/libbpf_log.h"

namespace inxpect {
namespace {

constexpr unsigned kLogTail = 15;
constexpr size_t kKernelLogSize = 1 << 22;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bpf_map* find_internal_map(bpf_object* obj, const std::string& section) {
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    if (bpf_map__is_internal(map) && ends_with(bpf_map__name(map), section)) return map;
  }
  return nullptr;
}

// What inxpect.h's code paths need for these sources (abi.h, inxpect_mode).
uint32_t mode_for(const std::string& path, const ProbeConfig& p) {
  auto kmod = [](Source s) { return s == Source::KfTsc || s == Source::KfPmc; };
  size_t n = std::count_if(p.sources.begin(), p.sources.end(), kmod);
  if (n && n != p.sources.size())
    throw Error(path +
                    ": events the module reads (tsc, hardware counters through it) cannot be "
                    "mixed with ktime or perf-helper events",
                Errc::Usage);
  bool tsc = n == 1 && p.sources[0] == Source::KfTsc;
  if (p.lean && !tsc)
    throw Error(path + ": the lean probe reads one event, the module's tsc", Errc::Usage);
  if (tsc) return p.lean ? INXPECT_MODE_KMOD_LEAN : INXPECT_MODE_KMOD_TSC;
  if (n) return INXPECT_MODE_KMOD;
  if (p.sources.size() != 1) return INXPECT_MODE_ANY;
  return p.sources[0] == Source::Perf ? INXPECT_MODE_PERF : INXPECT_MODE_KTIME;
}

void put_u32(uint8_t* at, uint32_t v) { std::memcpy(at, &v, sizeof(v)); }

}  // namespace

void ObjectCloser::operator()(bpf_object* obj) const {
  if (destroy)
    destroy();
  else
    bpf_object__close(obj);
}

ObjectPtr open_object(const std::string& path) {
  LibbpfCapture log;
  bpf_object* obj = bpf_object__open_file(path.c_str(), nullptr);
  if (!obj) {
    int err = errno;
    Error e = errno_error("cannot open BPF object " + path, err, Errc::BadInput);
    throw Error(std::string(e.what()) + "\n" + log.tail(5), e.code(), err);
  }
  return ObjectPtr(obj);
}

std::vector<ProgramInfo> list_programs(const std::string& path) {
  ObjectPtr obj = open_object(path);
  std::vector<ProgramInfo> out;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj.get()) {
    out.push_back({bpf_program__name(prog), bpf_program__section_name(prog)});
  }
  return out;
}

LoadedObject::LoadedObject(LoadedObject&&) noexcept = default;
LoadedObject& LoadedObject::operator=(LoadedObject&&) noexcept = default;
LoadedObject::~LoadedObject() = default;

LoadedObject LoadedObject::load(const std::string& path, const ProbeConfig& probe,
                                const LoaderOptions& opts) {
  check_bpf_object(path);
  LoadedObject o;
  o.path_ = path;
  o.probe_ = probe;
  if (auto sites = read_site_records(path)) o.table_ = SectionTable::parse(*sites);
  o.obj_ = open_object(path);
  o.configure(opts);
  o.load_now();
  return o;
}

LoadedObject LoadedObject::load(ObjectPtr obj, std::string_view elf, const std::string& name,
                                const ProbeConfig& probe, const LoaderOptions& opts) {
  LoadedObject o;
  o.path_ = name;
  o.probe_ = probe;
  if (auto sites = read_site_records(elf, name)) o.table_ = SectionTable::parse(*sites);
  o.obj_ = std::move(obj);
  o.configure(opts);
  o.load_now();
  return o;
}

// Writes the way of measuring into .rodata before load; the verifier then
// sees it as constants and prunes what is not used.  Slots need nothing:
// they are fixed when the object is compiled.
void LoadedObject::configure(const LoaderOptions& opts) {
  bpf_object* obj = obj_.get();
  if (opts.require_xdp && program_names().empty())
    throw Error(path_ + " has no XDP program (SEC(\"xdp\"))", Errc::BadInput);
  if (opts.kernel_log_level || log_level() == LogLevel::Debug) {
    bpf_program* prog;
    bpf_object__for_each_program(prog, obj) {
      // Debug: libbpf prints the log of every load itself.
      if (!opts.kernel_log_level) {
        bpf_program__set_log_level(prog, 1);
        continue;
      }
      auto& buf = logs_[bpf_program__name(prog)];
      buf = std::make_unique<char[]>(kKernelLogSize);
      bpf_program__set_log_buf(prog, buf.get(), kKernelLogSize);
      bpf_program__set_log_level(prog, opts.kernel_log_level);
    }
  }
  if (!opts.configure) return;
  bpf_map* rodata = find_internal_map(obj, ".rodata");
  const btf* btf = bpf_object__btf(obj);
  if (!rodata || !btf) {
    if (!table_.empty())
      throw Error(path_ + " has InXpect sections but no .rodata or BTF (build with -g)",
                  Errc::BadInput);
    return;
  }
  size_t size = 0;
  const auto* initial = static_cast<const uint8_t*>(bpf_map__initial_value(rodata, &size));
  int sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
  if (!initial || sec_id < 0)
    throw Error(path_ + ": cannot read the BTF of .rodata", Errc::BadInput);
  std::vector<uint8_t> data(initial, initial + size);
  const btf_type* sec = btf__type_by_id(btf, sec_id);
  const btf_var_secinfo* vs = btf_var_secinfos(sec);
  const std::vector<Source>& src = probe_.sources;
  for (unsigned i = 0; i < btf_vlen(sec); i++, vs++) {
    std::string var = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
    if (vs->offset + vs->size > size) continue;
    uint8_t* at = data.data() + vs->offset;
    constexpr uint32_t kArray = sizeof(uint32_t) * INXPECT_MAX_EVENTS;
    if (var == "inxpect_mode" && vs->size == sizeof(uint32_t)) {
      put_u32(at, mode_for(path_, probe_));
    } else if (var == "inxpect_nr_events" && vs->size == sizeof(uint32_t)) {
      put_u32(at, static_cast<uint32_t>(src.size()));
    } else if (var == "inxpect_ev_src" && vs->size == kArray) {
      for (size_t e = 0; e < src.size() && e < INXPECT_MAX_EVENTS; e++)
        put_u32(at + e * sizeof(uint32_t), static_cast<uint32_t>(src[e]));
    }
  }
  if (bpf_map__set_initial_value(rodata, data.data(), data.size()))
    throw Error(path_ + ": cannot set the .rodata constants");
}

bool LoadedObject::bare_copies() const {
  const btf* b = bpf_object__btf(obj_.get());
  return b && one_word_draws(b);
}

void LoadedObject::load_now() {
  LibbpfCapture log;
  if (!bpf_object__load(obj_.get())) return;
  int err = errno;
  // The verifier says EACCES too, so its log is what tells the cases apart.
  if (log.has_verifier_log())
    throw Error("the verifier rejected " + path_ + " (" + std::strerror(err) +
                    "); end of its log:\n" + log.tail(kLogTail),
                Errc::Verifier, err);
  Error e = errno_error("cannot load " + path_, err);
  if (e.code() == Errc::NoPermission) throw e;
  throw Error(std::string(e.what()) + "\n" + log.tail(kLogTail), e.code(), err);
}

std::vector<std::string> LoadedObject::program_names(bool xdp_only) const {
  std::vector<std::string> names;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj_.get()) {
    if (!xdp_only || bpf_program__type(prog) == BPF_PROG_TYPE_XDP)
      names.push_back(bpf_program__name(prog));
  }
  return names;
}

int LoadedObject::program_fd(const std::string& name, std::string* resolved) const {
  std::vector<std::string> names = program_names();
  if (name.empty() && names.empty())
    throw Error(path_ + " has no XDP program (SEC(\"xdp\"))", Errc::NotFound);
  std::string want = name.empty() ? names.front() : name;
  bpf_program* prog = bpf_object__find_program_by_name(obj_.get(), want.c_str());
  if (!prog || bpf_program__type(prog) != BPF_PROG_TYPE_XDP) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    throw Error("no XDP program '" + want + "' in " + path_ + " (programs: " + list + ")",
                Errc::NotFound);
  }
  if (resolved) *resolved = want;
  return bpf_program__fd(prog);
}

int LoadedObject::map_fd(const std::string& name) const {
  bpf_map* map = bpf_object__find_map_by_name(obj_.get(), name.c_str());
  return map ? bpf_map__fd(map) : -1;
}

int LoadedObject::state_fd() const { return map_fd("inxpect_state"); }

bpf_map* LoadedObject::internal_map(const std::string& section) const {
  return find_internal_map(obj_.get(), section);
}

int LoadedObject::controls_fd() const {
  bpf_map* ctl = internal_map(".data.inxpect");
  return ctl ? bpf_map__fd(ctl) : -1;
}

uint32_t LoadedObject::controls_size() const {
  bpf_map* ctl = internal_map(".data.inxpect");
  return ctl ? bpf_map__value_size(ctl) : 0;
}

std::string LoadedObject::verifier_log(const std::string& program) const {
  auto it = logs_.find(program);
  return it == logs_.end() ? "" : std::string(it->second.get());
}

}  // namespace inxpect
