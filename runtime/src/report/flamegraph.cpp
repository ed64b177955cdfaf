// The flame graph as one self-contained SVG: frames as <g> elements with a
// <title> tooltip, and a small script for click-to-zoom (flamegraph.pl's
// way: the clicked frame fills the width, its ancestors stay, the rest
// hides).
#include <cmath>
#include <cstdio>
#include <functional>

#include "libinxpect/views.h"
#include "markup.h"

namespace inxpect {
namespace {

constexpr double kFrameH = 16, kTop = 40, kPad = 10, kBottom = 30;

std::string num(double v, int prec = 2) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", prec, v);
  return buf;
}

// flamegraph.pl's warm palette, from a hash of the name so a section keeps
// its colour from one graph to the next.
std::string colour(const std::string& name) {
  uint32_t h = 2166136261u;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  unsigned r = 205 + h % 50, g = (h >> 8) % 230, b = (h >> 16) % 55;
  return "rgb(" + std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b) + ")";
}

int depth_of(const FlameNode& n) {
  int d = 0;
  for (const FlameNode& c : n.children) d = std::max(d, depth_of(c));
  return d + 1;
}

const char* kScript = R"JS(
var W = +document.documentElement.getAttribute('data-width'), P = 10;
var frames = Array.prototype.slice.call(document.querySelectorAll('g.f'));
var details = document.getElementById('details');
function fit(g, x, w) {
  var r = g.querySelector('rect'), t = g.querySelector('text'), name = g.getAttribute('data-name');
  r.setAttribute('x', x); r.setAttribute('width', Math.max(w, 0));
  t.setAttribute('x', x + 3);
  var n = Math.floor((w - 6) / 7);
  t.textContent = n < 3 ? '' : name.length <= n ? name : name.substring(0, n - 2) + '..';
}
function zoom(sel) {
  var x0 = +sel.getAttribute('data-x'), w0 = +sel.getAttribute('data-w'), d0 = +sel.getAttribute('data-d');
  frames.forEach(function (g) {
    var x = +g.getAttribute('data-x'), w = +g.getAttribute('data-w'), d = +g.getAttribute('data-d');
    var inside = x >= x0 - 1e-9 && x + w <= x0 + w0 + 1e-9;
    var above = d < d0 && x <= x0 + 1e-9 && x + w >= x0 + w0 - 1e-9;
    g.style.display = inside || above ? '' : 'none';
    if (above) fit(g, P, W - 2 * P);
    else if (inside) fit(g, P + (x - x0) / w0 * (W - 2 * P), w / w0 * (W - 2 * P));
    g.style.opacity = above ? 0.6 : 1;
  });
}
function reset() {
  frames.forEach(function (g) {
    g.style.display = ''; g.style.opacity = 1;
    fit(g, P + +g.getAttribute('data-x') * (W - 2 * P), +g.getAttribute('data-w') * (W - 2 * P));
  });
}
frames.forEach(function (g) {
  g.addEventListener('click', function () { zoom(g); });
  g.addEventListener('mouseover', function () { details.textContent = g.querySelector('title').textContent.split('\n')[0]; });
  g.addEventListener('mouseout', function () { details.textContent = ' '; });
});
document.getElementById('title').addEventListener('click', reset);
document.addEventListener('keydown', function (e) { if (e.key === 'Escape') reset(); });
)JS";

}  // namespace

void write_flamegraph_svg(const FlameGraph& g, const FlameOptions& o, std::ostream& out) {
  double W = o.width, inner = W - 2 * kPad;
  int depth = depth_of(g.root);
  double H = kTop + depth * kFrameH + kBottom;
  double total = g.root.total;
  out << "<?xml version=\"1.0\" standalone=\"no\"?>\n"
      << "<svg version=\"1.1\" width=\"" << W << "\" height=\"" << num(H, 0) << "\" viewBox=\"0 0 "
      << W << " " << num(H, 0) << "\" data-width=\"" << W
      << "\" xmlns=\"http://www.w3.org/2000/svg\">\n"
      << "<style>text{font-family:Verdana,sans-serif;font-size:12px;fill:#000}"
         "g.f{cursor:pointer}g.f:hover rect{stroke:#000;stroke-width:0.5}"
         "#title{font-size:17px;text-anchor:middle;cursor:pointer}</style>\n"
      << "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#f8f8f0\"/>\n"
      << "<text id=\"title\" x=\"" << W / 2 << "\" y=\"24\">" << markup_escape(g.title)
      << "</text>\n<text x=\"" << kPad << "\" y=\"" << num(H - 10, 0) << "\">"
      << markup_escape(g.event + " (" + (g.unit.empty() ? "weight" : g.unit) +
                       "), exclusive totals" +
                       (g.sample_rate > 1 ? ", sampled 1/" + std::to_string(g.sample_rate) +
                                                ": est. executions, figures +- one standard error"
                                          : "") +
                       "; click a frame to zoom, Escape or the title to reset")
      << "</text>\n<text id=\"details\" x=\"" << num(W - kPad, 0) << "\" y=\"" << num(H - 10, 0)
      << "\" text-anchor=\"end\"> </text>\n";

  std::function<void(const FlameNode&, double, int)> frame = [&](const FlameNode& n, double x,
                                                                 int d) {
    double w = total > 0 ? n.total / total : 0;
    if (w * inner < o.min_width) return;
    double px = kPad + x * inner, pw = w * inner, y = kTop + (depth - 1 - d) * kFrameH;
    std::string tip = n.name;
    if (!n.location.empty()) tip += " (" + n.location + ")";
    tip += ": " + human(n.total, g.unit) + ", " + num(total > 0 ? 100 * n.total / total : 0) + "%";
    if (n.error > 0 && total > 0) tip += " +- " + num(100 * n.error / total) + "%";
    tip += "; self " + human(n.self, g.unit);
    if (n.executions)
      tip += "; " + std::to_string(n.executions) + (g.sample_rate > 1 ? " est." : "") +
             " executions, " + human(n.total / static_cast<double>(n.executions), g.unit) + " each";
    std::string label = n.name;
    size_t fits = pw > 6 ? static_cast<size_t>((pw - 6) / 7) : 0;
    if (fits < 3)
      label.clear();
    else if (label.size() > fits)
      label = label.substr(0, fits - 2) + "..";
    out << "<g class=\"f\" data-name=\"" << markup_escape(n.name) << "\" data-x=\"" << num(x, 9)
        << "\" data-w=\"" << num(w, 9) << "\" data-d=\"" << d << "\" data-total=\""
        << num(n.total, 3) << "\" data-self=\"" << num(n.self, 3) << "\"><title>"
        << markup_escape(tip) << "</title><rect x=\"" << num(px) << "\" y=\"" << num(y, 0)
        << "\" width=\"" << num(pw) << "\" height=\"" << num(kFrameH - 1, 0)
        << "\" rx=\"2\" fill=\"" << colour(n.name) << "\"/><text x=\"" << num(px + 3) << "\" y=\""
        << num(y + kFrameH - 4.5, 1) << "\">" << markup_escape(label) << "</text></g>\n";
    double cx = x;
    for (const FlameNode& c : n.children) {
      frame(c, cx, d + 1);
      cx += total > 0 ? c.total / total : 0;
    }
  };
  frame(g.root, 0, 0);
  out << "<script type=\"text/ecmascript\"><![CDATA[" << kScript << "]]></script>\n</svg>\n";
}

}  // namespace inxpect
