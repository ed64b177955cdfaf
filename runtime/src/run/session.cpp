#include "libinxpect/session.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "libinxpect/calibrate.h"
#include "libinxpect/elf_file.h"
#include "libinxpect/error.h"
#include "libinxpect/map_fill.h"

namespace inxpect {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw errno_error("cannot read " + path, errno);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A bad object is reported before anything is set up for it.
std::shared_ptr<const Counters> counters_for(const std::string& path, const LoadOptions& opts) {
  check_bpf_object(path);
  return std::make_shared<const Counters>(opts.events, opts.kmod);
}

bool is_per_cpu(bpf_map_type type) {
  return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

// Puts the entries of `file` into map `name` of `obj`.  Only maps that hold
// plain keys and values: not fds (program, map, device, socket arrays), not
// queues or ring buffers, whose sizes mean something else.
void fill_map(const LoadedObject& obj, const std::string& name, const std::string& file) {
  bpf_map* map = bpf_object__find_map_by_name(obj.get(), name.c_str());
  int fd = map ? bpf_map__fd(map) : -1;
  if (fd < 0) throw Error("no map '" + name + "' in " + obj.path(), Errc::NotFound);
  std::string target = "map '" + name + "' of " + obj.path();
  bpf_map_type type = bpf_map__type(map);
  switch (type) {
    case BPF_MAP_TYPE_HASH:
    case BPF_MAP_TYPE_ARRAY:
    case BPF_MAP_TYPE_LRU_HASH:
    case BPF_MAP_TYPE_LPM_TRIE:
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH: break;
    default: {
      const char* kind = libbpf_bpf_map_type_str(type);
      throw Error(target + " is a " + (kind ? kind : "special") +
                      " map; --map fills hash, array and LPM trie maps (and their per-CPU and "
                      "LRU kinds)",
                  Errc::BadInput);
    }
  }
  int ncpus = is_per_cpu(type) ? libbpf_num_possible_cpus() : 1;
  if (ncpus <= 0) throw errno_error("cannot count the possible CPUs", -ncpus);
  for (const MapEntry& e : parse_map_entries(read_file(file), file, bpf_map__key_size(map),
                                             bpf_map__value_size(map), target)) {
    // A per-CPU map takes one value per possible CPU: the same on each.
    std::vector<uint8_t> value =
        is_per_cpu(type) ? per_cpu_value(e.second, static_cast<size_t>(ncpus)) : e.second;
    if (bpf_map_update_elem(fd, e.first.data(), value.data(), BPF_ANY))
      throw errno_error("cannot fill " + target + " from " + file, errno);
  }
}

LoaderOptions session_loader() {
  LoaderOptions o;
  o.require_xdp = true;
  return o;
}

// Without histograms and call paths, what measures is the lean probe
// where there is one (the module's TSC): it costs the least.
ProbeConfig probe_for(const Counters& counters, const LoadOptions& opts) {
  ProbeConfig p = counters.probe_config();
  p.lean =
      !opts.histograms && !opts.paths && p.sources.size() == 1 && p.sources[0] == Source::KfTsc;
  return p;
}

}  // namespace

Session::Session(const std::string& path, const LoadOptions& opts)
    : Session(path, counters_for(path, opts), opts) {}

Session::Session(const std::string& path, std::shared_ptr<const Counters> counters,
                 const LoadOptions& opts)
    : counters_(std::move(counters)),
      object_(LoadedObject::load(path, probe_for(*counters_, opts), session_loader())),
      controls_(object_, ControlOptions{opts.sample_rate, opts.histograms, opts.paths}),
      state_(object_, static_cast<unsigned>(counters_->events().size())) {
  for (const std::string& name : opts.disabled) controls_.set_enabled(name, false);
  counters_->install(object_);
  for (const auto& [map_name, file] : opts.map_fills) fill_map(object_, map_name, file);
}

}  // namespace inxpect

namespace inxpect {

Calibration Session::calibrate() const {
  return inxpect::calibrate(*counters_, object_.probe(), sample_rate(), object_.bare_copies());
}

SectionStats Session::section(const std::string& name) const {
  const Section* s = sections().find(name);
  if (!s) throw Error("no section '" + name + "' in " + path(), Errc::NotFound);
  return section_total(snapshot(), *s, static_cast<unsigned>(events().size()));
}

}  // namespace inxpect
