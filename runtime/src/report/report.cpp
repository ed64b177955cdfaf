#include "libinxpect/report.h"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>

#include "formats.h"
#include "libinxpect/error.h"

namespace inxpect {
namespace {

// IPC and misses per 1000 instructions, where the events allow them.
std::vector<Derived> derive(const Report& r) {
  auto index = [&](const char* name) -> int {
    for (size_t e = 0; e < r.events.size(); e++)
      if (r.events[e].name == name) return static_cast<int>(e);
    return -1;
  };
  std::vector<Derived> out;
  int ins = index("instructions"), cyc = index("cycles");
  auto ratio = [&](const std::string& name, int num, int den, double scale) {
    Derived d{name, {}};
    for (const ReportRow& row : r.rows) {
      double n = row.fig[num].mean, m = row.fig[den].mean;
      d.values.push_back(m > 0 ? n * scale / m : 0);
    }
    out.push_back(std::move(d));
  };
  if (ins >= 0 && cyc >= 0) ratio("IPC", ins, cyc, 1);
  if (ins >= 0)
    for (const char* miss : {"cache-misses", "branch-misses", "llc-misses"})
      if (int m = index(miss); m >= 0) ratio(std::string(miss) + "/1k-instr", m, ins, 1000);
  return out;
}

// The tree of one set of paths (one CPU's, or all summed): nodes linked to
// their parents, the top-level ones first.
struct Tree {
  std::vector<PathNode> nodes;
  std::vector<const PathNode*> roots;
};

Tree build_tree(const std::vector<PathStats>& paths, const SectionTable& table) {
  Tree t;
  t.nodes.reserve(paths.size());
  std::unordered_map<uint64_t, size_t> at;
  for (const PathStats& p : paths) {
    at.emplace(p.key, t.nodes.size());
    t.nodes.push_back(PathNode{&p, table.by_slot(p.slot), {}});
  }
  for (PathNode& n : t.nodes) {
    auto parent = n.path->parent ? at.find(n.path->parent) : at.end();
    if (parent == at.end())
      t.roots.push_back(&n);
    else
      t.nodes[parent->second].children.push_back(&n);
  }
  // Siblings in section order, as the source lists them.
  auto order = [](const PathNode* a, const PathNode* b) {
    uint32_t x = a->section ? a->section->id : ~0u, y = b->section ? b->section->id : ~0u;
    return x != y ? x < y : a->path->key < b->path->key;
  };
  std::sort(t.roots.begin(), t.roots.end(), order);
  for (PathNode& n : t.nodes) std::sort(n.children.begin(), n.children.end(), order);
  return t;
}

// Paths that differ only in which START site of a section opened them
// (their keys are made of slots, and a section may have several) are one
// path of the report: merged under the key of the first, their children
// under the merged parent.
std::vector<PathStats> merge_sites(const std::vector<PathStats>& paths, const SectionTable& table,
                                   unsigned nev) {
  std::unordered_map<uint64_t, const PathStats*> by_key;
  for (const PathStats& p : paths) by_key.emplace(p.key, &p);
  // Each key -> the key it is merged under; (parent, section) -> that key.
  std::unordered_map<uint64_t, uint64_t> canon;
  std::map<std::pair<uint64_t, uint64_t>, uint64_t> first;
  std::function<uint64_t(const PathStats&)> canonical = [&](const PathStats& p) -> uint64_t {
    if (auto it = canon.find(p.key); it != canon.end()) return it->second;
    uint64_t parent = p.parent;
    if (auto pp = p.parent ? by_key.find(p.parent) : by_key.end(); pp != by_key.end())
      parent = canonical(*pp->second);
    const Section* s = table.by_slot(p.slot);
    uint64_t section = s ? s->id : (uint64_t{1} << 32) + p.slot;
    uint64_t key = first.emplace(std::make_pair(parent, section), p.key).first->second;
    canon.emplace(p.key, key);
    return key;
  };
  std::vector<PathStats> out;
  out.reserve(paths.size());
  for (const PathStats& p : paths) {
    PathStats q = p;
    q.key = canonical(p);
    if (auto pp = p.parent ? by_key.find(p.parent) : by_key.end(); pp != by_key.end())
      q.parent = canonical(*pp->second);
    merge_path(out, q, nev);
  }
  return out;
}

Section unknown_section(uint32_t slot) {
  Section s;
  s.name = "slot" + std::to_string(slot);
  return s;
}

// Adds `f` (per execution of `count`) into a per-section sum.
void add_weighted(EventFigures& sum, const EventFigures& f, uint64_t count, bool first,
                  unsigned nev) {
  for (unsigned e = 0; e < nev; e++) {
    sum[e].mean += f[e].mean * static_cast<double>(count);
    sum[e].min = first ? f[e].min : std::min(sum[e].min, f[e].min);
    sum[e].max = std::max(sum[e].max, f[e].max);
  }
}

void divide(EventFigures& f, uint64_t count, unsigned nev) {
  for (unsigned e = 0; e < nev; e++) f[e].mean = count ? f[e].mean / count : 0;
}

// Per section, the sums of its paths in `tree` (inclusive, exclusive).
void per_section(const Tree& tree, const Calibration* cal, unsigned nev, size_t nsections,
                 std::vector<SectionStats>& stats, std::vector<EventFigures>& incl,
                 std::vector<EventFigures>* excl, std::vector<Histogram>* hist) {
  stats.assign(nsections, SectionStats{});
  incl.assign(nsections, EventFigures{});
  if (excl) excl->assign(nsections, EventFigures{});
  if (hist) hist->assign(nsections, Histogram{});
  for (const PathNode& n : tree.nodes) {
    if (!n.section || !n.path->stats.count) continue;
    uint32_t id = n.section->id;
    PathFigures f = path_figures(n, cal, nev);
    bool first = !stats[id].count;
    add_weighted(incl[id], f.incl, n.path->stats.count, first, nev);
    if (excl) add_weighted((*excl)[id], f.excl, n.path->stats.count, first, nev);
    stats[id].merge(n.path->stats, nev);
    if (hist)
      for (unsigned b = 0; b < INXPECT_HIST_BUCKETS; b++) (*hist)[id][b] += n.path->hist[b];
  }
  for (size_t id = 0; id < nsections; id++) {
    divide(incl[id], stats[id].count, nev);
    if (excl) divide((*excl)[id], stats[id].count, nev);
  }
}

}  // namespace

EventFigures section_figures(const SectionTable& table, const Snapshot& snap, uint32_t id,
                             const Calibration* cal, unsigned nr_events) {
  std::vector<SectionStats> stats;
  std::vector<EventFigures> incl;
  std::vector<PathStats> paths = merge_sites(snap.paths, table, nr_events);
  per_section(build_tree(paths, table), cal, nr_events, table.sections().size(), stats, incl,
              nullptr, nullptr);
  return incl.at(id);
}

double row_quantile(const Histogram& hist, const SectionStats& raw, const Figures& fig, double q) {
  double cost = raw.count ? raw.mean(0) - fig.mean : 0;
  return std::max(0.0, quantile(hist, q) - cost);
}

void fill_rows(Report& report, const SectionTable& table, const Snapshot& snap, bool per_cpu) {
  report.rows.clear();
  report.paths.clear();
  report.per_cpu = per_cpu;
  report.health = snap.health;
  unsigned nev = static_cast<unsigned>(report.events.size());
  const Calibration* cal = report.calibration ? &*report.calibration : nullptr;
  size_t nsec = table.sections().size();

  // The call tree, depth first; the program's total is its exclusive sum.
  std::vector<PathStats> paths = merge_sites(snap.paths, table, nev);
  Tree tree = build_tree(paths, table);
  double total = 0;
  std::function<void(const PathNode*, int, unsigned, const std::string&)> walk =
      [&](const PathNode* n, int parent, unsigned depth, const std::string& prefix) {
        PathRow row;
        row.key = n->path->key;
        row.parent = parent;
        row.depth = depth;
        row.section = n->section ? *n->section : unknown_section(n->path->slot);
        row.path = prefix.empty() ? row.section.name : prefix + ";" + row.section.name;
        row.stats = n->path->stats;
        row.hist = n->path->hist;
        row.fig = path_figures(*n, cal, nev);
        row.executions = estimated_executions(row.stats.count, report.sample_rate);
        total += row.fig.excl[0].mean * static_cast<double>(row.executions);
        int self = static_cast<int>(report.paths.size());
        std::string path = row.path;
        report.paths.push_back(std::move(row));
        for (const PathNode* c : n->children) walk(c, self, depth + 1, path);
      };
  for (const PathNode* r : tree.roots) walk(r, -1, 0, "");
  for (PathRow& row : report.paths)
    row.share =
        total > 0 ? 100.0 * row.fig.excl[0].mean * static_cast<double>(row.executions) / total : 0;

  // Per section: the sum of its paths.
  std::vector<SectionStats> stats;
  std::vector<EventFigures> incl, excl;
  std::vector<Histogram> hist;
  per_section(tree, cal, nev, nsec, stats, incl, &excl, &hist);
  std::vector<std::vector<SectionStats>> cpu_stats(per_cpu ? snap.per_cpu.size() : 0);
  std::vector<std::vector<EventFigures>> cpu_fig(cpu_stats.size());
  for (size_t c = 0; c < cpu_stats.size(); c++) {
    std::vector<PathStats> cpu_paths = merge_sites(snap.per_cpu[c], table, nev);
    per_section(build_tree(cpu_paths, table), cal, nev, nsec, cpu_stats[c], cpu_fig[c], nullptr,
                nullptr);
  }
  for (const Section& s : table.sections()) {
    ReportRow row;
    row.section = s;
    row.stats = stats[s.id];
    row.hist = hist[s.id];
    row.fig = incl[s.id];
    row.excl = excl[s.id];
    row.executions = estimated_executions(row.stats.count, report.sample_rate);
    row.share =
        total > 0 ? 100.0 * row.excl[0].mean * static_cast<double>(row.executions) / total : 0;
    for (size_t c = 0; c < cpu_stats.size(); c++) {
      row.per_cpu.push_back(cpu_stats[c][s.id]);
      row.per_cpu_fig.push_back(cpu_fig[c][s.id]);
    }
    report.rows.push_back(std::move(row));
  }
  report.derived = derive(report);
}

std::unique_ptr<Formatter> make_formatter(const std::string& name) {
  if (name == "table") return std::make_unique<TableFormatter>();
  if (name == "json") return std::make_unique<JsonFormatter>();
  if (name == "csv") return std::make_unique<CsvFormatter>();
  throw Error("unknown format '" + name + "' (table, json, csv)", Errc::Usage);
}

}  // namespace inxpect
