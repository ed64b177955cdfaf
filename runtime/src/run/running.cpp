#include "libinxpect/running.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <net/if.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "inxpect/abi.h"
#include "libinxpect/error.h"
#include "libinxpect/site_records.h"
#include "run/dispatcher.h"

namespace inxpect {
namespace {

// One line for what the kernel said about program `what`.
[[noreturn]] void fail(const std::string& what, int err) {
  if (err == ENOENT) throw Error("no such program: " + what, Errc::NotFound);
  if (err == EPERM || err == EACCES)
    throw Error(what + ": permission denied (needs CAP_BPF and CAP_SYS_ADMIN, or root)",
                Errc::NoPermission);
  throw errno_error(what, err);
}

bpf_prog_info prog_info(int fd, const std::string& what) {
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len)) fail(what, errno);
  return info;
}

std::string hex_tag(const bpf_prog_info& info) {
  char buf[2 * BPF_TAG_SIZE + 1];
  for (int i = 0; i < BPF_TAG_SIZE; i++) std::snprintf(buf + 2 * i, 3, "%02x", info.tag[i]);
  return buf;
}

// The kernel keeps 15 characters of a name; the program's BTF keeps its
// function's whole name (the first func_info record is the program's).
std::string full_name(int fd, const bpf_prog_info& info) {
  std::string name = info.name;
  if (!info.btf_id || !info.nr_func_info || info.func_info_rec_size != sizeof(bpf_func_info))
    return name;
  std::vector<bpf_func_info> funcs(info.nr_func_info);
  bpf_prog_info more{};
  more.nr_func_info = info.nr_func_info;
  more.func_info_rec_size = sizeof(bpf_func_info);
  more.func_info = reinterpret_cast<uintptr_t>(funcs.data());
  uint32_t len = sizeof(more);
  if (bpf_obj_get_info_by_fd(fd, &more, &len)) return name;
  BtfPtr b(btf__load_from_kernel_by_id(info.btf_id));
  if (!b) return name;
  const btf_type* t = btf__type_by_id(b.get(), funcs[0].type_id);
  if (!t) return name;
  std::string btf_name = btf__name_by_offset(b.get(), t->name_off);
  // Only a name the kernel's is the start of: never another function's.
  return btf_name.compare(0, name.size(), name) == 0 ? btf_name : name;
}

std::vector<uint32_t> map_ids(int fd, const bpf_prog_info& info) {
  std::vector<uint32_t> ids(info.nr_map_ids);
  if (ids.empty()) return ids;
  bpf_prog_info more{};
  more.nr_map_ids = info.nr_map_ids;
  more.map_ids = reinterpret_cast<uintptr_t>(ids.data());
  uint32_t len = sizeof(more);
  if (bpf_obj_get_info_by_fd(fd, &more, &len)) return {};
  ids.resize(std::min(more.nr_map_ids, info.nr_map_ids));
  return ids;
}

// The inxpect maps among the program's: the state map by name, the control
// map by its BTF (the kernel cuts its name, "<object>.data.inxp").  Null
// when the program has neither: it is not instrumented.
std::unique_ptr<Instrumentation> instrumentation(int fd, const bpf_prog_info& info,
                                                 const std::string& what) {
  auto inx = std::make_unique<Instrumentation>();
  for (uint32_t id : map_ids(fd, info)) {
    Fd map(bpf_map_get_fd_by_id(id));
    if (!map) continue;
    bpf_map_info mi{};
    uint32_t len = sizeof(mi);
    if (bpf_obj_get_info_by_fd(map.get(), &mi, &len)) continue;
    if (std::strcmp(mi.name, "inxpect_state") == 0) {
      inx->state = std::move(map);
      continue;
    }
    if (mi.type != BPF_MAP_TYPE_ARRAY || !mi.btf_id || !mi.btf_value_type_id) continue;
    BtfPtr b(btf__load_from_kernel_by_id(mi.btf_id));
    if (!b) continue;
    const btf_type* t = btf__type_by_id(b.get(), mi.btf_value_type_id);
    if (!t || !btf_is_datasec(t)) continue;
    const char* sec = btf__name_by_offset(b.get(), t->name_off);
    if (std::strcmp(sec, ".bss") == 0) {
      inx->bss = std::move(map);  // each CPU's sampling countdown
      continue;
    }
    if (std::strcmp(sec, INXPECT_CTL_SECTION) != 0) continue;
    std::vector<BtfVar> vars = datasec_vars(b.get(), mi.btf_value_type_id);
    std::optional<BtfVar> ctl = control_var(vars);
    if (!ctl) continue;
    std::string value(mi.value_size, '\0');
    uint32_t key = 0;
    if (bpf_map_lookup_elem(map.get(), &key, value.data())) fail(what + ": its controls", errno);
    inx->table = SectionTable::parse(site_records(vars, value));
    inx->control_map = {map.get(), mi.value_size, ctl->offset, ctl->size};
    inx->controls = std::move(map);
  }
  if (!inx->state || !inx->controls) return nullptr;
  inx->control_map.bss_fd = inx->bss.get();
  return inx;
}

// Which program each interface runs, by program id.
std::map<uint32_t, std::string> attached_programs() {
  std::map<uint32_t, std::string> out;
  struct if_nameindex* ifs = if_nameindex();
  if (!ifs) return out;
  for (struct if_nameindex* i = ifs; i->if_index; i++) {
    LIBBPF_OPTS(bpf_xdp_query_opts, q);
    if (bpf_xdp_query(static_cast<int>(i->if_index), 0, &q)) continue;
    for (uint32_t id : {q.prog_id, q.drv_prog_id, q.skb_prog_id, q.hw_prog_id})
      if (id) out.emplace(id, i->if_name);
  }
  if_freenameindex(ifs);
  return out;
}

// A component behind a dispatcher is an freplace (BPF_PROG_TYPE_EXT)
// program loaded from an XDP object: `component` lets it through.
RunningProgram describe(Fd fd, const std::string& what,
                        const std::map<uint32_t, std::string>& ifaces, bool component = false) {
  bpf_prog_info info = prog_info(fd.get(), what);
  if (info.type != BPF_PROG_TYPE_XDP && !(component && info.type == BPF_PROG_TYPE_EXT))
    throw Error(what + " is not an XDP program (type " +
                    (libbpf_bpf_prog_type_str(static_cast<bpf_prog_type>(info.type))
                         ?: std::to_string(info.type)) +
                    ")",
                Errc::BadInput);
  RunningProgram p;
  p.id = info.id;
  p.name = full_name(fd.get(), info);
  p.tag = hex_tag(info);
  auto it = ifaces.find(info.id);
  if (it != ifaces.end()) p.ifname = it->second;
  p.inx = instrumentation(fd.get(), info, what);
  // fd closes here: inxpect never keeps alive a program its owner removed.
  return p;
}

// Every program id, with an fd for those this process may open.
template <class Visit>
void each_program(Visit visit) {
  uint32_t id = 0;
  while (!bpf_prog_get_next_id(id, &id)) {
    Fd fd(bpf_prog_get_fd_by_id(id));
    if (!fd) {
      if (errno == ENOENT) continue;  // gone meanwhile
      fail("program " + std::to_string(id), errno);
    }
    visit(id, std::move(fd));
  }
  if (errno == EPERM || errno == EACCES) fail("the list of programs", errno);
}

// The program on interface `dev`, or, when it is libxdp's dispatcher, its
// components and then the dispatcher itself.
void on_interface(const std::string& dev, const std::map<uint32_t, std::string>& ifaces,
                  std::vector<RunningProgram>& out) {
  unsigned ifindex = if_nametoindex(dev.c_str());
  if (!ifindex) throw Error("no such interface: " + dev, Errc::NotFound);
  uint32_t id = 0;
  for (const auto& [pid, name] : ifaces)
    if (name == dev) id = pid;
  if (!id) throw Error("no XDP program on " + dev, Errc::NotFound);
  std::string what = "program " + std::to_string(id) + " on " + dev;
  Fd fd(bpf_prog_get_fd_by_id(id));
  if (!fd) fail(what, errno);
  RunningProgram main = describe(std::move(fd), what, ifaces);
  // libxdp's own first test of a dispatcher; libxdp checks the rest.
  if (main.name == kDispatcherName) {
    main.role = Role::Dispatcher;
    for (uint32_t cid : dispatcher_components(ifindex, id, what)) {
      std::string cwhat = "program " + std::to_string(cid) + " behind dispatcher " +
                          std::to_string(id) + " on " + dev;
      Fd cfd(bpf_prog_get_fd_by_id(cid));
      if (!cfd) fail(cwhat, errno);
      RunningProgram c = describe(std::move(cfd), cwhat, ifaces, true);
      c.role = Role::Component;
      c.dispatcher = id;
      c.ifname = dev;
      out.push_back(std::move(c));
    }
  }
  out.push_back(std::move(main));
}

}  // namespace

Selector make_selector(const std::string& option, const std::string& value) {
  using K = Selector::Kind;
  static const std::map<std::string, K> kinds = {{"--prog-id", K::Id},
                                                 {"--pin", K::Pin},
                                                 {"--name", K::Name},
                                                 {"--tag", K::Tag},
                                                 {"--dev", K::Dev}};
  auto it = kinds.find(option);
  if (it == kinds.end()) throw Error("unknown selector " + option, Errc::Usage);
  if (value.empty()) throw Error(option + " needs a value", Errc::Usage);
  if (it->second == K::Id && value.find_first_not_of("0123456789") != std::string::npos)
    throw Error("--prog-id takes a number, not '" + value + "'", Errc::Usage);
  if (it->second == K::Tag &&
      (value.size() != 2 * BPF_TAG_SIZE ||
       value.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos))
    throw Error("--tag takes 16 hex digits, as bpftool prints them, not '" + value + "'",
                Errc::Usage);
  return {it->second, value};
}

std::vector<RunningProgram> find_programs(const Selector& sel) {
  using K = Selector::Kind;
  std::map<uint32_t, std::string> ifaces = attached_programs();
  std::vector<RunningProgram> out;
  switch (sel.kind) {
    case K::Id: {
      std::string what = "program " + sel.value;
      Fd fd(bpf_prog_get_fd_by_id(static_cast<uint32_t>(std::stoul(sel.value))));
      if (!fd) fail(what, errno);
      out.push_back(describe(std::move(fd), what, ifaces));
      break;
    }
    case K::Pin: {
      Fd fd(bpf_obj_get(sel.value.c_str()));
      if (!fd) fail(sel.value, errno);
      out.push_back(describe(std::move(fd), sel.value, ifaces));
      break;
    }
    case K::Dev: on_interface(sel.value, ifaces, out); break;
    case K::All:
    case K::Name:
    case K::Tag:
      each_program([&](uint32_t id, Fd fd) {
        std::string what = "program " + std::to_string(id);
        bpf_prog_info info = prog_info(fd.get(), what);
        if (info.type != BPF_PROG_TYPE_XDP) return;
        if (sel.kind == K::Tag && strcasecmp(hex_tag(info).c_str(), sel.value.c_str()) != 0) return;
        if (sel.kind == K::Name && full_name(fd.get(), info) != sel.value && sel.value != info.name)
          return;
        out.push_back(describe(std::move(fd), what, ifaces));
      });
      if (out.empty() && sel.kind != K::All)
        throw Error("no such XDP program: " + std::string(sel.kind == K::Tag ? "tag " : "name ") +
                        sel.value,
                    Errc::NotFound);
      break;
  }
  return out;
}

// Opened by id each time, so a program removed meanwhile is "no such
// program" rather than kept alive by inxpect.
RunFigures run_figures(const RunningProgram& p) {
  std::string what = "program " + std::to_string(p.id);
  Fd fd(bpf_prog_get_fd_by_id(p.id));
  if (!fd) fail(what, errno);
  bpf_prog_info info = prog_info(fd.get(), what);
  return {info.run_cnt, info.run_time_ns};
}

RunStats::RunStats() : fd_(bpf_enable_stats(BPF_STATS_RUN_TIME)) {
  if (!fd_) fail("run-time statistics (BPF_ENABLE_STATS)", errno);
}

// One event: a program loaded by others measures with the defaults
// inxpect.h gives any loader (ktime).
std::unique_ptr<StateReader> state_reader(const RunningProgram& p) {
  return std::make_unique<StateReader>(p.inx ? p.inx->state.get() : -1,
                                       "program " + std::to_string(p.id), 1);
}

std::unique_ptr<Controls> controls(const RunningProgram& p) {
  static const SectionTable empty;
  std::string origin = "program " + std::to_string(p.id);
  if (!p.inx) return std::make_unique<Controls>(ControlMap{}, empty, origin);
  return std::make_unique<Controls>(p.inx->control_map, p.inx->table, origin);
}

}  // namespace inxpect
