// Totals and the flame tree, shared by the folded, pprof and SVG views.
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

#include "libinxpect/error.h"
#include "libinxpect/views.h"

namespace inxpect {
namespace {

FlameNode& child(FlameNode& parent, const std::string& name) {
  for (FlameNode& c : parent.children)
    if (c.name == name) return c;
  parent.children.push_back(FlameNode{name, "", 0, 0, 0, 0, {}});
  return parent.children.back();
}

// total = self + the children's totals, bottom up; errors add in quadrature.
void sum_up(FlameNode& n) {
  double t = n.self, e2 = 0;
  for (FlameNode& c : n.children) {
    sum_up(c);
    t += c.total;
    e2 += c.error * c.error;
  }
  n.total = t;
  if (n.error == 0) n.error = std::sqrt(e2);
}

}  // namespace

double path_total(const PathRow& p, unsigned e, bool exclusive) {
  return (exclusive ? p.fig.excl[e].mean : p.fig.incl[e].mean) * static_cast<double>(p.executions);
}

double row_total(const ReportRow& r, unsigned e, bool exclusive) {
  return (exclusive ? r.excl[e].mean : r.fig[e].mean) * static_cast<double>(r.executions);
}

std::string frame_prefix(const Report& r) { return r.program.empty() ? "" : r.program + ";"; }

std::string human(double v, const std::string& unit) {
  char buf[64];
  if (unit == "ns") {
    static const char* kUnits[] = {"ns", "us", "ms", "s"};
    int u = 0;
    while (std::fabs(v) >= 1000 && u < 3) {
      v /= 1000;
      u++;
    }
    std::snprintf(buf, sizeof(buf), "%.*f %s", u ? 2 : 1, v, kUnits[u]);
    return buf;
  }
  static const char* kScale[] = {"", "k", "M", "G", "T"};
  int u = 0;
  while (std::fabs(v) >= 1000 && u < 4) {
    v /= 1000;
    u++;
  }
  std::snprintf(buf, sizeof(buf), "%.*f%s%s%s", u ? 2 : 0, v, kScale[u], unit.empty() ? "" : " ",
                unit.c_str());
  return buf;
}

FlameGraph flame_from_report(const Report& r) {
  FlameGraph g;
  g.root.name = r.program.empty() ? "all" : r.program;
  g.title = r.object + "  program " + r.program;
  if (!r.events.empty()) {
    g.unit = r.events[0].unit;
    g.event = r.events[0].name;
  }
  g.sample_rate = r.sample_rate;
  // Frames flat first (index 0 the root), children by index, so nothing
  // points into a vector that grows; then the tree.
  struct Flat {
    FlameNode node;
    std::vector<size_t> kids;
  };
  std::vector<Flat> flat(1);
  std::map<std::pair<size_t, std::string>, size_t> by_name;
  std::vector<size_t> frame_of(r.paths.size());
  for (size_t i = 0; i < r.paths.size(); i++) {
    const PathRow& p = r.paths[i];
    size_t parent = p.parent >= 0 ? frame_of[static_cast<size_t>(p.parent)] : 0;
    auto [it, fresh] = by_name.emplace(std::pair{parent, p.section.name}, flat.size());
    if (fresh) {
      flat.push_back(Flat{FlameNode{p.section.name, "", 0, 0, 0, 0, {}}, {}});
      flat[parent].kids.push_back(it->second);
    }
    FlameNode& n = flat[it->second].node;
    n.self += std::max(0.0, path_total(p, 0, true));
    n.executions += p.executions;
    if (!p.section.file.empty()) n.location = p.section.file + ":" + std::to_string(p.section.line);
    if (std::isfinite(p.error)) n.error = std::hypot(n.error, p.error * path_total(p, 0, false));
    frame_of[i] = it->second;
  }
  std::function<FlameNode(size_t)> tree = [&](size_t k) {
    FlameNode n = flat[k].node;
    for (size_t c : flat[k].kids) n.children.push_back(tree(c));
    return n;
  };
  std::string name = g.root.name;
  g.root = tree(0);
  g.root.name = name;
  sum_up(g.root);
  return g;
}

FlameGraph flame_from_folded(std::string_view text) {
  FlameGraph g;
  g.root.name = "all";
  g.event = "weight";
  std::string first;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    line_no++;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    size_t sp = line.rfind(' ');
    char* end = nullptr;
    std::string num(sp == std::string_view::npos ? "" : line.substr(sp + 1));
    double w = std::strtod(num.c_str(), &end);
    if (num.empty() || *end || w < 0)
      throw Error(
          "folded stacks, line " + std::to_string(line_no) + ": expected 'frame;frame;... weight'",
          Errc::BadInput);
    FlameNode* n = &g.root;
    std::string_view stack = line.substr(0, sp);
    while (true) {
      size_t semi = stack.find(';');
      n = &child(*n, std::string(stack.substr(0, semi)));
      if (semi == std::string_view::npos) break;
      stack.remove_prefix(semi + 1);
    }
    n->self += w;
  }
  // One program at the top (as `--format folded` writes): it is the root.
  if (g.root.children.size() == 1 && g.root.self == 0) {
    FlameNode top = std::move(g.root.children.front());
    g.root = std::move(top);
  }
  g.title = g.root.name;
  sum_up(g.root);
  return g;
}

}  // namespace inxpect
