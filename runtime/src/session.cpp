#include "libinxpect/session.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "libinxpect/elf_file.h"
#include "libinxpect/error.h"
#include "libinxpect/map_fill.h"
#include "libinxpect/probe.h"
#include "kmod_counters.h"
#include "libbpf_log.h"
#include "perf_counters.h"

namespace inxpect {
namespace {

constexpr unsigned kLogTail = 15;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bpf_map* find_internal_map(bpf_object* obj, const std::string& section) {
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    if (bpf_map__is_internal(map) && ends_with(bpf_map__name(map), section)) return map;
  }
  return nullptr;
}

// "func.__inxpect_id_parse.3" -> "parse"; "" for other variables.
std::string section_of_id_var(const std::string& var) {
  size_t at = var.find(INXPECT_ID_PREFIX);
  if (at == std::string::npos) return "";
  std::string name = var.substr(at + std::strlen(INXPECT_ID_PREFIX));
  size_t dot = name.find('.');  // clang's suffix for repeated statics
  return dot == std::string::npos ? name : name.substr(0, dot);
}

// The macros' straight-line code for one event, when there is one.
uint32_t mode_for(const std::vector<Event>& events) {
  if (events.size() != 1) return INXPECT_MODE_ANY;
  switch (events[0].source) {
    case Source::Ktime: return INXPECT_MODE_ONE_KTIME;
    case Source::Perf: return INXPECT_MODE_ONE_PERF;
    case Source::KfTsc: return INXPECT_MODE_ONE_KF_TSC;
    case Source::KfPmc: return INXPECT_MODE_ONE_KF_PMC;
  }
  return INXPECT_MODE_ANY;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(errno_message("cannot read " + path, errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Snapshot since(const Snapshot& now, const Snapshot& before) {
  Snapshot d = now;
  for (size_t i = 0; i < d.total.size() && i < before.total.size(); i++) d.total[i] = since(now.total[i], before.total[i]);
  for (size_t c = 0; c < d.per_cpu.size() && c < before.per_cpu.size(); c++)
    for (size_t i = 0; i < d.per_cpu[c].size() && i < before.per_cpu[c].size(); i++)
      d.per_cpu[c][i] = since(now.per_cpu[c][i], before.per_cpu[c][i]);
  return d;
}

Session::Session(const std::string& path, const LoadOptions& opts)
    : path_(path), events_(opts.events), sample_rate_(opts.sample_rate) {
  if (events_.empty()) events_.push_back(resolve_events("ktime", Backend::Ktime, false)[0]);
  check_bpf_object(path);
  if (auto sites = read_elf_section(path, INXPECT_SITES_SECTION)) table_ = SectionTable::parse(*sites);
  disabled_.assign(table_.sections().size(), 0);
  for (const std::string& name : opts.disabled) {
    const Section* s = table_.find(name);
    if (!s) throw Error("no section '" + name + "' in " + path);
    disabled_[s->id] = 1;
  }
  auto uses = [&](auto pred) { return std::any_of(events_.begin(), events_.end(), pred); };
  // One probe, however many events read through the perf helper.
  if (uses([](const Event& e) { return e.source == Source::Perf; }) && !xdp_can_read_perf_events())
    throw Error("this kernel does not allow bpf_perf_event_read_value in XDP programs "
                "(it arrived after Linux 6.12); use --backend ktime or --backend kmod");
  if (uses([](const Event& e) { return e.source == Source::KfTsc || e.source == Source::KfPmc; }))
    kmod_ = std::make_unique<KmodCounters>(events_);

  LibbpfLog log;
  obj_ = bpf_object__open_file(path.c_str(), nullptr);
  if (!obj_) {
    int err = errno;
    throw Error(errno_message("cannot open BPF object " + path, err) + "\n" + log.tail(kLogTail));
  }
  if (program_names().empty()) {
    bpf_object__close(obj_);
    throw Error(path + " has no XDP program (SEC(\"xdp\"))");
  }
  try {
    configure_rodata();
    if (bpf_map* state = bpf_object__find_map_by_name(obj_, "inxpect_state"))
      bpf_map__set_max_entries(state, std::max<size_t>(1, table_.sections().size()));
    if (bpf_object__load(obj_)) {
      int err = errno;
      // The verifier says EACCES too, so its log is what tells the cases apart.
      if (log.has_verifier_log())
        throw Error("the verifier rejected " + path + " (" + std::strerror(err) + "); end of its log:\n" +
                    log.tail(kLogTail));
      if (err == EPERM || err == EACCES) throw Error(errno_message("cannot load " + path, err));
      throw Error(errno_message("cannot load " + path, err) + "\n" + log.tail(kLogTail));
    }
    write_ctl();
    perf_ = std::make_unique<PerfCounters>(obj_, events_);
    for (const auto& [map_name, file] : opts.map_fills) {
      bpf_map* map = bpf_object__find_map_by_name(obj_, map_name.c_str());
      if (!map) throw Error("no map '" + map_name + "' in " + path);
      for (const MapEntry& e : parse_map_entries(read_file(file), file, bpf_map__key_size(map),
                                                 bpf_map__value_size(map)))
        if (bpf_map_update_elem(bpf_map__fd(map), e.first.data(), e.second.data(), BPF_ANY))
          throw Error(errno_message("cannot fill map '" + map_name + "' from " + file, errno));
    }
  } catch (...) {
    perf_.reset();
    bpf_object__close(obj_);
    throw;
  }
}

Session::~Session() {
  perf_.reset();
  bpf_object__close(obj_);
}

// Writes the section ids and the counter sources into .rodata before load;
// the verifier then sees them as constants and prunes what is not used.
void Session::configure_rodata() {
  bpf_map* rodata = find_internal_map(obj_, ".rodata");
  const btf* btf = bpf_object__btf(obj_);
  if (!rodata || !btf) {
    if (!table_.empty()) throw Error(path_ + " has InXpect sections but no .rodata or BTF (build with -g)");
    return;
  }
  size_t size = 0;
  const auto* initial = static_cast<const uint8_t*>(bpf_map__initial_value(rodata, &size));
  int sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
  if (!initial || sec_id < 0) throw Error(path_ + ": cannot read the BTF of .rodata");
  std::vector<uint8_t> data(initial, initial + size);
  const btf_type* sec = btf__type_by_id(btf, sec_id);
  const btf_var_secinfo* vs = btf_var_secinfos(sec);
  for (unsigned i = 0; i < btf_vlen(sec); i++, vs++) {
    std::string var = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
    if (vs->offset + vs->size > size) continue;
    uint8_t* at = data.data() + vs->offset;
    if (var == "inxpect_mode" && vs->size == sizeof(uint32_t)) {
      uint32_t mode = mode_for(events_);
      std::memcpy(at, &mode, sizeof(mode));
    } else if (var == "inxpect_nr_events" && vs->size == sizeof(uint32_t)) {
      uint32_t n = static_cast<uint32_t>(events_.size());
      std::memcpy(at, &n, sizeof(n));
    } else if (var == "inxpect_ev_src" && vs->size == sizeof(uint32_t) * INXPECT_MAX_EVENTS) {
      for (size_t e = 0; e < events_.size(); e++) {
        uint32_t src = static_cast<uint32_t>(events_[e].source);
        std::memcpy(at + e * sizeof(src), &src, sizeof(src));
      }
    } else if (var == "inxpect_ev_slot" && vs->size == sizeof(uint32_t) * INXPECT_MAX_EVENTS) {
      for (size_t e = 0; e < events_.size(); e++) {
        uint32_t slot = kmod_slot(events_, e);
        std::memcpy(at + e * sizeof(slot), &slot, sizeof(slot));
      }
    } else if (std::string name = section_of_id_var(var); !name.empty() && vs->size == sizeof(uint32_t)) {
      const Section* s = table_.find(name);
      uint32_t id = s ? s->id : INXPECT_NO_ID;
      std::memcpy(at, &id, sizeof(id));
    }
  }
  if (bpf_map__set_initial_value(rodata, data.data(), data.size()))
    throw Error(path_ + ": cannot set the .rodata constants");
}

int Session::map_fd(const char* name) const {
  bpf_map* map = bpf_object__find_map_by_name(obj_, name);
  return map ? bpf_map__fd(map) : -1;
}

void Session::write_ctl() {
  bpf_map* ctl = find_internal_map(obj_, ".data.inxpect");
  if (!ctl) return;  // an object without sections
  inxpect_ctl v;
  std::memset(&v, 0, sizeof(v));
  v.sample_rate = sample_rate_;
  for (size_t i = 0; i < disabled_.size() && i < INXPECT_MAX_SECTIONS; i++) v.disabled[i] = disabled_[i];
  uint32_t key = 0;
  if (bpf_map__value_size(ctl) != sizeof(v))
    throw Error(path_ + " was built with another version of inxpect.h (.data.inxpect size differs)");
  if (bpf_map_update_elem(bpf_map__fd(ctl), &key, &v, BPF_ANY))
    throw Error(errno_message("cannot write the InXpect controls", errno));
}

std::vector<std::string> Session::program_names() const {
  std::vector<std::string> names;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj_) {
    if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP) names.push_back(bpf_program__name(prog));
  }
  return names;
}

int Session::program_fd(const std::string& name, std::string* resolved) const {
  std::vector<std::string> names = program_names();
  std::string want = name.empty() ? names.front() : name;
  bpf_program* prog = bpf_object__find_program_by_name(obj_, want.c_str());
  if (!prog || bpf_program__type(prog) != BPF_PROG_TYPE_XDP) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    throw Error("no XDP program '" + want + "' in " + path_ + " (programs: " + list + ")");
  }
  if (resolved) *resolved = want;
  return bpf_program__fd(prog);
}

void Session::set_sample_rate(uint32_t rate) {
  sample_rate_ = rate ? rate : 1;
  write_ctl();
}

void Session::set_enabled(const std::string& name, bool enabled) {
  const Section* s = table_.find(name);
  if (!s) throw Error("no section '" + name + "' in " + path_);
  disabled_[s->id] = !enabled;
  write_ctl();
}

void Session::reset() {
  int fd = map_fd("inxpect_state");
  if (fd < 0) return;
  std::vector<inxpect_sec> zero(libbpf_num_possible_cpus());
  std::memset(zero.data(), 0, zero.size() * sizeof(inxpect_sec));
  for (uint32_t id = 0; id < table_.sections().size(); id++)
    if (bpf_map_update_elem(fd, &id, zero.data(), BPF_ANY))
      throw Error(errno_message("cannot reset section state", errno));
}

Snapshot Session::snapshot() const {
  Snapshot snap;
  size_t n = table_.sections().size();
  int ncpu = libbpf_num_possible_cpus();
  snap.total.assign(n, SectionStats{});
  snap.per_cpu.assign(ncpu, std::vector<SectionStats>(n));
  int fd = map_fd("inxpect_state");
  if (fd < 0) return snap;
  std::vector<inxpect_sec> raw(ncpu);
  unsigned nev = static_cast<unsigned>(events_.size());
  for (uint32_t id = 0; id < n; id++) {
    if (bpf_map_lookup_elem(fd, &id, raw.data()))
      throw Error(errno_message("cannot read section state", errno));
    for (int cpu = 0; cpu < ncpu; cpu++) {
      snap.per_cpu[cpu][id] = from_raw(raw[cpu], nev);
      snap.total[id].merge(snap.per_cpu[cpu][id], nev);
    }
  }
  return snap;
}

std::vector<std::string> Session::counter_notes() const {
  return perf_ ? perf_->multiplexing_notes() : std::vector<std::string>{};
}

}  // namespace inxpect
