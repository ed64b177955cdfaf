#include "libinxpect/session.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <fstream>
#include <sstream>

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
std::shared_ptr<const Counters> counters_for(const std::string& path,
                                             const std::vector<Event>& events) {
  check_bpf_object(path);
  return std::make_shared<const Counters>(events);
}

LoaderOptions session_loader() {
  LoaderOptions o;
  o.require_xdp = true;
  return o;
}

}  // namespace

Session::Session(const std::string& path, const LoadOptions& opts)
    : Session(path, counters_for(path, opts.events), opts) {}

Session::Session(const std::string& path, std::shared_ptr<const Counters> counters,
                 const LoadOptions& opts)
    : counters_(std::move(counters)),
      object_(LoadedObject::load(path, counters_->probe_config(), session_loader())),
      controls_(object_, ControlOptions{opts.sample_rate, opts.histograms, opts.paths}),
      state_(object_, static_cast<unsigned>(counters_->events().size())) {
  for (const std::string& name : opts.disabled) controls_.set_enabled(name, false);
  counters_->install(object_);
  for (const auto& [map_name, file] : opts.map_fills) {
    int fd = object_.map_fd(map_name);
    if (fd < 0) throw Error("no map '" + map_name + "' in " + path, Errc::NotFound);
    bpf_map* map = bpf_object__find_map_by_name(object_.get(), map_name.c_str());
    for (const MapEntry& e :
         parse_map_entries(read_file(file), file, bpf_map__key_size(map), bpf_map__value_size(map)))
      if (bpf_map_update_elem(fd, e.first.data(), e.second.data(), BPF_ANY))
        throw errno_error("cannot fill map '" + map_name + "' from " + file, errno);
  }
}

}  // namespace inxpect

namespace inxpect {

SectionStats Session::section(const std::string& name) const {
  const Section* s = sections().find(name);
  if (!s) throw Error("no section '" + name + "' in " + path(), Errc::NotFound);
  return section_total(snapshot(), *s, static_cast<unsigned>(events().size()));
}

}  // namespace inxpect
