#include "libinxpect/pprof.h"

#include <zlib.h>

#include <chrono>
#include <cmath>
#include <map>

#include "libinxpect/error.h"
#include "libinxpect/views.h"
#include "profile.pb.h"

namespace inxpect {
namespace {

namespace pp = perftools::profiles;

class Strings {
 public:
  explicit Strings(pp::Profile& p) : p_(p) { id(""); }  // string_table[0] is ""
  int64_t id(const std::string& s) {
    auto [it, fresh] = ids_.emplace(s, static_cast<int64_t>(ids_.size()));
    if (fresh) p_.add_string_table(s);
    return it->second;
  }

 private:
  pp::Profile& p_;
  std::map<std::string, int64_t> ids_;
};

// pprof's own name for a unit it knows how to scale.
std::string unit_name(const std::string& unit) {
  if (unit == "ns") return "nanoseconds";
  return unit.empty() ? "count" : unit;
}

std::string gzip(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("zlib: deflateInit2 failed", Errc::Failed);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error("zlib: deflate failed", Errc::Failed);
  out.resize(z.total_out);
  return out;
}

}  // namespace

std::string pprof_profile(const Report& r) {
  pp::Profile p;
  Strings str(p);
  for (const Event& e : r.events) {
    pp::ValueType* t = p.add_sample_type();
    t->set_type(str.id(e.name));
    t->set_unit(str.id(unit_name(e.unit)));
  }
  p.mutable_period_type()->set_type(str.id("executions"));
  p.mutable_period_type()->set_unit(str.id("count"));
  p.set_period(r.sample_rate);
  p.set_time_nanos(std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count());
  if (r.program_ns_per_run && r.runs)
    p.set_duration_nanos(std::llround(*r.program_ns_per_run * static_cast<double>(r.runs)));
  p.add_comment(str.id("inxpect: " + r.object + " program " + r.program + " backend " + r.backend));
  p.add_comment(str.id("values: exclusive totals over estimated executions (sampled 1/" +
                       std::to_string(r.sample_rate) + ")" +
                       (r.calibration ? ", calibrated" : ", raw")));
  pp::Mapping* m = p.add_mapping();
  m->set_id(1);
  m->set_filename(str.id(r.object));
  m->set_has_functions(true);
  m->set_has_filenames(true);
  m->set_has_line_numbers(true);

  // One function and one location per frame name: the program, then each
  // section (a section shows as one frame wherever it is reached from).
  std::map<std::string, uint64_t> loc_of;
  auto location = [&](const std::string& name, const std::string& file, unsigned line) {
    auto it = loc_of.find(name);
    if (it != loc_of.end()) return it->second;
    uint64_t id = loc_of.size() + 1;
    pp::Function* f = p.add_function();
    f->set_id(id);
    f->set_name(str.id(name));
    f->set_system_name(str.id(name));
    f->set_filename(str.id(file));
    f->set_start_line(line);
    pp::Location* l = p.add_location();
    l->set_id(id);
    l->set_mapping_id(1);
    l->set_address(id);
    pp::Line* ln = l->add_line();
    ln->set_function_id(id);
    ln->set_line(line);
    loc_of.emplace(name, id);
    return id;
  };
  uint64_t root = r.program.empty() ? 0 : location(r.program, "", 0);
  for (const PathRow& path : r.paths) {
    if (!path.stats.count) continue;
    pp::Sample* s = p.add_sample();
    for (int i = static_cast<int>(&path - r.paths.data()); i >= 0; i = r.paths[i].parent) {
      const Section& sec = r.paths[i].section;
      s->add_location_id(location(sec.name, sec.file, sec.line));
    }
    if (root) s->add_location_id(root);
    for (unsigned e = 0; e < r.events.size(); e++)
      s->add_value(std::llround(std::max(0.0, path_total(path, e, true))));
    pp::Label* l = s->add_label();
    l->set_key(str.id("executions"));
    l->set_num(static_cast<int64_t>(path.executions));
    l->set_num_unit(str.id("count"));
  }
  std::string bytes;
  if (!p.SerializeToString(&bytes))
    throw Error("pprof: the profile does not serialize", Errc::Failed);
  return gzip(bytes);
}

void PprofFormatter::write(const Report& r, std::ostream& out) const {
  std::string z = pprof_profile(r);
  out.write(z.data(), static_cast<std::streamsize>(z.size()));
}

}  // namespace inxpect
