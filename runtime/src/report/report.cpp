#include "libinxpect/report.h"

#include <algorithm>
#include <deque>
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
// their parents, the top-level ones first.  Paths of one section under one
// parent are one node: a section with several START sites (hand-written,
// one in each branch) shows once.
struct Tree {
  std::deque<PathStats> merged;  // the nodes' figures
  std::deque<PathNode> nodes;
  std::vector<const PathNode*> roots;
};

struct Raw {
  const PathStats* path;
  const Section* section;
  std::vector<const Raw*> children;
};

std::vector<const PathNode*> merge_siblings(Tree& t, const std::vector<const Raw*>& sibs,
                                            unsigned nev) {
  std::map<uint64_t, std::vector<const Raw*>> groups;  // by section id, else slot
  for (const Raw* r : sibs)
    groups[r->section ? r->section->id : (1ULL << 32) | r->path->slot].push_back(r);
  std::vector<const PathNode*> out;
  for (auto& [id, group] : groups) {
    PathStats& m = t.merged.emplace_back(*group.front()->path);
    std::vector<const Raw*> children(group.front()->children);
    for (size_t k = 1; k < group.size(); k++) {
      m.stats.merge(group[k]->path->stats, nev);
      for (unsigned b = 0; b < INXPECT_HIST_BUCKETS; b++) m.hist[b] += group[k]->path->hist[b];
      children.insert(children.end(), group[k]->children.begin(), group[k]->children.end());
    }
    PathNode& n = t.nodes.emplace_back(PathNode{&m, group.front()->section, {}});
    n.children = merge_siblings(t, children, nev);
    out.push_back(&n);
  }
  return out;
}

Tree build_tree(const std::vector<PathStats>& paths, const SectionTable& table, unsigned nev) {
  std::vector<Raw> raw;
  raw.reserve(paths.size());
  std::unordered_map<uint64_t, size_t> at;
  for (const PathStats& p : paths) {
    at.emplace(p.key, raw.size());
    raw.push_back(Raw{&p, table.by_slot(p.slot), {}});
  }
  std::vector<const Raw*> roots;
  for (Raw& r : raw) {
    auto parent = r.path->parent ? at.find(r.path->parent) : at.end();
    if (parent == at.end())
      roots.push_back(&r);
    else
      raw[parent->second].children.push_back(&r);
  }
  Tree t;
  t.roots = merge_siblings(t, roots, nev);
  return t;
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
  per_section(build_tree(snap.paths, table, nr_events), cal, nr_events, table.sections().size(),
              stats, incl, nullptr, nullptr);
  return incl.at(id);
}

double trimmed_mean(const Histogram& hist, const SectionStats& raw, const Figures& fig,
                    double top) {
  if (!raw.count) return 0;
  uint64_t total = 0;
  for (uint64_t n : hist) total += n;
  if (!total) return fig.mean;  // histograms off
  // Walk down from the top bucket, taking out `top` of the executions at
  // their bucket's middle value.
  double drop = top * static_cast<double>(total), left = drop, dropped_sum = 0;
  for (unsigned b = INXPECT_HIST_BUCKETS; b-- > 0 && left > 0;) {
    double k = std::min(left, static_cast<double>(hist[b]));
    dropped_sum += k * (bucket_low(b) + bucket_high(b)) / 2;
    left -= k;
  }
  double n = static_cast<double>(raw.count) * (1 - top);
  double scale = static_cast<double>(raw.count) / static_cast<double>(total);
  double raw_trimmed = (static_cast<double>(raw.ev[0].sum) - dropped_sum * scale) / n;
  double cost = raw.mean(0) - fig.mean;  // what calibration took from each execution
  return std::max(0.0, raw_trimmed - cost);
}

double row_quantile(const Histogram& hist, const SectionStats& raw, const Figures& fig, double q) {
  double v = quantile(hist, q), cost = 0;
  // min and max are exact, and a bucket's middle can lie past them: a
  // section that always costs the same would report a p99 above its max.
  if (raw.count) {
    v = std::clamp(v, static_cast<double>(raw.ev[0].min), static_cast<double>(raw.ev[0].max));
    cost = raw.mean(0) - fig.mean;
  }
  return std::max(0.0, v - cost);
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
  Tree tree = build_tree(snap.paths, table, nev);
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
        row.error = sampled_total_error(row.stats, row.hist, report.sample_rate);
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
  for (size_t c = 0; c < cpu_stats.size(); c++)
    per_section(build_tree(snap.per_cpu[c], table, nev), cal, nev, nsec, cpu_stats[c], cpu_fig[c],
                nullptr, nullptr);
  for (const Section& s : table.sections()) {
    ReportRow row;
    row.section = s;
    row.stats = stats[s.id];
    row.hist = hist[s.id];
    row.fig = incl[s.id];
    row.excl = excl[s.id];
    row.executions = estimated_executions(row.stats.count, report.sample_rate);
    row.error = sampled_total_error(row.stats, row.hist, report.sample_rate);
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

void add_batch(Report& report, const SectionTable& table, const Snapshot& batch) {
  unsigned nev = static_cast<unsigned>(report.events.size());
  const Calibration* cal = report.calibration ? &*report.calibration : nullptr;
  std::vector<SectionStats> stats;
  std::vector<EventFigures> incl, excl;
  std::vector<Histogram> hist;
  per_section(build_tree(batch.paths, table, nev), cal, nev, table.sections().size(), stats, incl,
              &excl, &hist);
  for (ReportRow& row : report.rows) {
    uint32_t id = row.section.id;
    row.batches_trimmed.push_back(trimmed_mean(hist[id], stats[id], incl[id][0], 0.01));
    row.batches.push_back(incl[id]);
    row.batches_excl.push_back(excl[id]);
    row.batch_measured.push_back(stats[id].count);
  }
  report.batches++;
}

std::unique_ptr<Formatter> make_formatter(const std::string& name) {
  if (name == "table") return std::make_unique<TableFormatter>();
  if (name == "json") return std::make_unique<JsonFormatter>();
  if (name == "csv") return std::make_unique<CsvFormatter>();
  if (name == "folded") return std::make_unique<FoldedFormatter>();
  throw Error("unknown format '" + name + "' (table, json, csv, folded, pprof)", Errc::Usage);
}

}  // namespace inxpect
