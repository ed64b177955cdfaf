// `inxpect top` on a terminal, with keys as bpftop has them: q or Esc
// quits, up/down (or k/j) select a program, Enter shows the selected one
// alone with its history, f (or /) edits a filter, s changes the sort
// column (left/right) and order (up/down); p pauses, which bpftop lacks.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

#include "commands.h"
#include "libinxpect/error.h"
#include "libinxpect/escape.h"
#include "libinxpect/fd.h"
#include "terminal.h"
#include "top.h"

namespace inxpect::cli {
namespace {

constexpr size_t kHistory = 60;  // intervals a program's sparklines show

// One line of bars, ▁ to █, scaled to the largest value shown.
std::string sparkline(const std::deque<double>& values) {
  static const char* bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  double top = 0;
  for (double v : values) top = std::max(top, v);
  std::string s;
  for (double v : values) s += bars[top > 0 ? std::min(7, static_cast<int>(v / top * 7.999)) : 0];
  return s;
}

class KeyView {
 public:
  KeyView(Order order, std::string filter) : order_(order), default_(order) { set_filter(filter); }

  // A new interval's lines: shown unless paused; the history keeps them all.
  void update(std::vector<ProgramLine> lines, double interval_s) {
    for (const ProgramLine& l : lines) {
      auto& h = history_[l.id];
      h.emplace_back(l.runs_per_s.value_or(0), l.ns_per_run.value_or(0));
      if (h.size() > kHistory) h.pop_front();
    }
    if (paused_) return;
    lines_ = std::move(lines);
    interval_ = interval_s;
    fresh_ = true;
  }

  // False when the key quits.
  bool key(int k) {
    switch (mode_) {
      case Mode::Filter:
        if (k == kEnter || k == kEscape)
          mode_ = Mode::Table;
        else if (k == kBackspace && !filter_.empty())
          set_filter(filter_.substr(0, filter_.size() - 1));
        else if (k >= 0x20 && k < 0x7f)
          set_filter(filter_ + static_cast<char>(k));
        return true;
      case Mode::Sort:
        if (k == kEnter || k == kEscape) mode_ = Mode::Table;
        if (k == kLeft || k == kRight) next_column(k == kRight ? 1 : -1);
        if (k == kUp) order_.descending = false;
        if (k == kDown) order_.descending = true;
        if (k == kBackspace) order_ = default_;
        return true;
      case Mode::Detail:
        if (k == kEnter || k == kEscape) mode_ = Mode::Table;
        break;
      case Mode::Table:
        if (k == kEscape) return false;
        if (k == kUp || k == 'k') move(-1);
        if (k == kDown || k == 'j') move(1);
        if (k == kEnter && selected_) mode_ = Mode::Detail;
        if (k == 'f' || k == '/') mode_ = Mode::Filter;
        if (k == 's') mode_ = Mode::Sort;
        break;
    }
    if (k == 'q') return false;
    if (k == 'p') paused_ = !paused_;
    return true;
  }

  // The whole screen, from home.
  std::string screen() {
    std::vector<ProgramLine> shown = visible();
    // The selection follows its program when the order changes; a program
    // gone leaves it on the first.
    if (std::none_of(shown.begin(), shown.end(),
                     [&](const ProgramLine& l) { return l.id == selected_; }))
      selected_ = shown.empty() ? 0 : shown[0].id;
    if (mode_ == Mode::Detail && !selected_) mode_ = Mode::Table;
    std::ostringstream s;
    s << "\x1b[H\x1b[2J";
    if (mode_ == Mode::Detail) {
      detail(s, *std::find_if(shown.begin(), shown.end(),
                              [&](const ProgramLine& l) { return l.id == selected_; }));
    } else {
      TableText t = table_text(shown, interval_, &order_);
      if (!fresh_) t.rows[0] = "inxpect top: first figures after one interval";
      for (size_t i = 0; i < t.rows.size(); i++) {
        bool on = t.ids[i] && t.ids[i] == selected_;
        s << (on ? "\x1b[7m" : "") << escape_controls(t.rows[i]) << (on ? "\x1b[0m" : "") << "\n";
      }
    }
    s << "\n" << footer();
    return s.str();
  }

 private:
  enum class Mode { Table, Detail, Filter, Sort };

  void set_filter(const std::string& text) {
    filter_ = text;
    // A regular expression half typed does not compile yet: until it does,
    // the last one that did stays applied, and the footer says so.
    try {
      re_ = filter_regex(text);
      bad_filter_ = false;
    } catch (const Error&) {
      bad_filter_ = true;
    }
  }

  std::vector<ProgramLine> visible() const {
    std::vector<ProgramLine> shown = lines_;
    if (!filter_.empty()) filter_lines(shown, re_);
    sort_lines(shown, order_);
    return shown;
  }

  void move(int by) {
    std::vector<ProgramLine> shown = visible();
    auto at = std::find_if(shown.begin(), shown.end(),
                           [&](const ProgramLine& l) { return l.id == selected_; });
    if (at == shown.end()) return;
    long i = std::clamp<long>(at - shown.begin() + by, 0, static_cast<long>(shown.size()) - 1);
    selected_ = shown[i].id;
  }

  void next_column(int by) {
    constexpr long n = std::size(kSortKeys);
    long i = std::find(std::begin(kSortKeys), std::end(kSortKeys), order_.key) - kSortKeys;
    order_.key = kSortKeys[(i + by + n) % n];
    order_.descending = order_.key != SortKey::Id && order_.key != SortKey::Name;
  }

  void detail(std::ostringstream& s, const ProgramLine& l) {
    s << "program " << l.id << " " << escape_controls(l.name) << ", tag " << l.tag << ", "
      << (l.ifname.empty() ? "no interface" : "on " + escape_controls(l.ifname)) << ", "
      << (l.instrumented ? "sampling 1 run in " + std::to_string(l.sample_rate)
                         : "not instrumented")
      << "\n\n";
    if (l.role == Role::Component) {
      // The kernel keeps no figures of its own for it (top.h).
      s << "behind dispatcher " << l.dispatcher << ": its runs and time are the dispatcher's\n\n";
    } else {
      std::deque<double> runs, ns;
      for (const auto& [r, n] : history_[l.id]) {
        runs.push_back(r);
        ns.push_back(n);
      }
      s << std::fixed << std::setprecision(1) << "runs/s  " << sparkline(runs) << "  "
        << l.runs_per_s.value_or(0) << "\nns/run  " << sparkline(ns) << "  "
        << l.ns_per_run.value_or(0) << "\n\n";
    }
    TableText t = table_text({l}, interval_);
    for (size_t i = 2; i < t.rows.size(); i++) s << escape_controls(t.rows[i]) << "\n";
  }

  std::string footer() const {
    std::string paused = paused_ ? "PAUSED | " : "";
    switch (mode_) {
      case Mode::Filter:
        return "filter: " + escape_controls(filter_) + (bad_filter_ ? " (not yet a regex)" : "") +
               "_  (↵,Esc) back";
      case Mode::Sort:
        return paused +
               "sort: (←,→) column | (↑) ascending | (↓) descending | (Backspace) --sort's "
               "| (↵,Esc) back";
      case Mode::Detail: return paused + "(q) quit | (↵,Esc) back to the list | (p) pause";
      case Mode::Table: break;
    }
    return paused + (filter_.empty() ? "" : "filter: " + escape_controls(filter_) + " | ") +
           "(q) quit | (↑,k) up | (↓,j) down | (↵) detail | (f) filter | (s) sort | (p) pause";
  }

  Order order_, default_;
  std::string filter_;
  std::regex re_;
  bool bad_filter_ = false;
  Mode mode_ = Mode::Table;
  bool paused_ = false, fresh_ = false;
  uint32_t selected_ = 0;
  std::vector<ProgramLine> lines_;
  double interval_ = 0;
  std::map<uint32_t, std::deque<std::pair<double, double>>> history_;
};

void draw(const std::string& screen) {
  raw_stdout() << screen << std::flush;
  flush_output(raw_stdout(), "top");
}

}  // namespace

int top_keys(std::vector<std::unique_ptr<Watched>>& watched, const Args& args, const Schedule& when,
             Order order, const std::string& filter) {
  using clock = std::chrono::steady_clock;
  KeyView view(order, filter);
  // Stop signals come through a signalfd, polled with the keys: they end
  // the loop like q, so the terminal is put back on the way out.
  sigset_t sigs = stop_signals();
  sigprocmask(SIG_BLOCK, &sigs, nullptr);
  Fd sig(signalfd(-1, &sigs, SFD_CLOEXEC));
  if (!sig) throw errno_error("signalfd", errno);
  KeyTerminal term(STDIN_FILENO, STDOUT_FILENO);
  auto start = clock::now();
  auto period =
      std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(when.interval));
  auto next = start + period;
  std::optional<clock::time_point> end;
  if (when.duration > 0)
    end = start +
          std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(when.duration));
  draw(view.screen());
  for (unsigned long n = 0;;) {
    auto due = end ? std::min(next, *end) : next;
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(due - clock::now());
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {sig.get(), POLLIN, 0}};
    int r = poll(fds, 2, std::max<int>(0, static_cast<int>(wait.count()) + 1));
    if (r < 0 && errno != EINTR) throw errno_error("poll", errno);
    if (r > 0 && fds[1].revents) return 0;
    if (r > 0 && fds[0].revents) {
      char buf[256];
      ssize_t got = read(STDIN_FILENO, buf, sizeof(buf));
      if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) return 0;  // hung up
      for (int k : decode_keys(std::string(buf, got > 0 ? got : 0)))
        if (!view.key(k)) return 0;
      draw(view.screen());
    }
    if (clock::now() < due) continue;
    double interval = 0;
    std::vector<ProgramLine> lines = read_lines(watched, args, interval);
    view.update(std::move(lines), interval);
    draw(view.screen());
    next += period;
    if ((when.count && ++n >= when.count) || (end && clock::now() >= *end)) return 0;
  }
}

}  // namespace inxpect::cli
