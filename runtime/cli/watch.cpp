#include "watch.h"

#include <algorithm>
#include <cstdio>

#include "libinxpect/error.h"

namespace inxpect::cli {

Selector selector_of(const Args& args) {
  Selector sel;
  for (const char* name : kSelectorOptions) {
    if (!args.has(name)) continue;
    if (sel.kind != Selector::Kind::All)
      throw Error("give one of --prog-id, --pin, --name, --tag, --dev", Errc::Usage);
    sel = make_selector(name, args.get(name));
  }
  return sel;
}

Watched::Watched(RunningProgram p, const Args& args) : prog_(std::move(p)) {
  first_at_ = prev_at_ = std::chrono::steady_clock::now();
  first_run_ = prev_run_ = run_figures(prog_);
  if (!prog_.inx) {
    if (args.has("--sample") || args.has("--disable"))
      throw Error("program " + std::to_string(prog_.id) + " (" + prog_.name +
                      ") is not instrumented: --sample and --disable need InXpect sections",
                  Errc::Usage);
    return;
  }
  reader_ = state_reader(prog_);
  controls_ = controls(prog_);
  saved_ = controls_->options();
  if (args.has("--sample"))
    controls_->set_sample_rate(static_cast<uint32_t>(args.number("--sample", 1, 1, 1u << 30)));
  for (const std::string& s : args.all("--disable")) {
    controls_->set_enabled(s, false);
    disabled_.push_back(s);
  }
  first_ = prev_ = reader_->snapshot();
}

Watched::~Watched() {
  if (!controls_) return;
  // Best effort: a program that went away meanwhile has nothing to restore.
  try {
    if (controls_->sample_rate() != saved_.sample_rate)
      controls_->set_sample_rate(saved_.sample_rate);
    for (const std::string& s : disabled_) controls_->set_enabled(s, true);
  } catch (const Error&) {
  }
}

Observed Watched::figures(const Snapshot& snap, const RunFigures& run, double seconds) const {
  Observed f;
  f.interval_s = seconds;
  f.runs = run.run_cnt;
  f.run_ns = run.run_time_ns;
  Report& r = f.report;
  r.object = "program " + std::to_string(prog_.id);
  r.program = prog_.name;
  r.backend = "ktime";
  r.events = {Event{"ktime", "ns", Source::Ktime}};
  r.interval_s = seconds;
  r.runs = run.run_cnt;
  if (run.run_cnt) r.program_ns_per_run = static_cast<double>(run.run_time_ns) / run.run_cnt;
  // Live reports print no run count of their own: the kernel's goes in a note.
  char kernel[160];
  if (prog_.role == Role::Component) {
    r.runs = 0;
    r.program_ns_per_run.reset();
    std::snprintf(kernel, sizeof(kernel),
                  "kernel: no figures of its own (behind libxdp dispatcher %u, which has them)",
                  prog_.dispatcher);
  } else {
    std::snprintf(kernel, sizeof(kernel), "kernel: %llu runs, %.1f ns/run (BPF_ENABLE_STATS)%s",
                  static_cast<unsigned long long>(run.run_cnt), r.program_ns_per_run.value_or(0),
                  prog_.role == Role::Dispatcher ? ", its component programs' time included" : "");
  }
  r.notes.push_back(kernel);
  if (!prog_.inx) {
    r.notes.push_back("not instrumented: the kernel's run count and time only");
    return f;
  }
  r.sample_rate = controls_->sample_rate();
  for (const std::string& w : prog_.inx->table.warnings()) r.notes.push_back(w);
  r.notes.push_back("raw figures: programs loaded by others are not calibrated");
  fill_rows(r, prog_.inx->table, snap, false);
  return f;
}

Observed Watched::interval() {
  auto now_at = std::chrono::steady_clock::now();
  RunFigures run = run_figures(prog_);
  RunFigures d{run.run_cnt - prev_run_.run_cnt, run.run_time_ns - prev_run_.run_time_ns};
  double s = std::chrono::duration<double>(now_at - prev_at_).count();
  Snapshot now;
  if (reader_) now = reader_->snapshot();
  Observed f = figures(reader_ ? since(now, prev_, 1) : now, d, s);
  prev_ = std::move(now);
  prev_run_ = run;
  prev_at_ = now_at;
  return f;
}

Observed Watched::total() {
  RunFigures run = run_figures(prog_);
  RunFigures d{run.run_cnt - first_run_.run_cnt, run.run_time_ns - first_run_.run_time_ns};
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - first_at_).count();
  Snapshot now;
  if (reader_) now = since(reader_->snapshot(), first_, 1);
  return figures(now, d, s);
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, s);
  return set;
}

Schedule schedule_of(const Args& args) {
  return {args.seconds("--interval", 1.0), args.seconds("--duration", 0),
          args.number("--count", 0, 1, 1ul << 40)};
}

void every_interval(const Schedule& when, const std::function<void()>& tick) {
  using clock = std::chrono::steady_clock;
  double interval = when.interval, duration = when.duration;
  unsigned long count = when.count;
  sigset_t sigs = stop_signals();
  sigprocmask(SIG_BLOCK, &sigs, nullptr);
  auto start = clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
  for (unsigned long n = 1;; n++) {
    double wait = interval;
    if (duration > 0) wait = std::min(wait, duration - elapsed());
    bool stop = false;
    if (wait > 0) {
      timespec ts{static_cast<time_t>(wait),
                  static_cast<long>((wait - static_cast<time_t>(wait)) * 1e9)};
      if (sigtimedwait(&sigs, nullptr, &ts) > 0) stop = true;
    }
    tick();
    if (stop || (duration > 0 && elapsed() >= duration) || (count && n >= count)) return;
  }
}

namespace {

// Selectors that may match programs of others, which come and go: one that
// goes is dropped.  The program the user named by id, pin or interface
// going is news, and an error.
bool matches_many(const Selector& sel) {
  return sel.kind == Selector::Kind::All || sel.kind == Selector::Kind::Name ||
         sel.kind == Selector::Kind::Tag;
}

}  // namespace

std::vector<std::unique_ptr<Watched>> watch_selected(const Args& args) {
  Selector sel = selector_of(args);
  std::vector<std::unique_ptr<Watched>> out;
  for (RunningProgram& p : find_programs(sel)) {
    try {
      out.push_back(std::make_unique<Watched>(std::move(p), args));
    } catch (const Error& e) {
      if (!matches_many(sel) || e.code() != Errc::NotFound) throw;
    }
  }
  return out;
}

void refresh(std::vector<std::unique_ptr<Watched>>& watched, const Args& args,
             const std::function<void(Watched&)>& read) {
  Selector sel = selector_of(args);
  if (sel.kind == Selector::Kind::All)
    for (RunningProgram& p : find_programs(sel)) {
      bool known = std::any_of(watched.begin(), watched.end(),
                               [&](const auto& w) { return w->program().id == p.id; });
      if (known) continue;
      try {
        watched.push_back(std::make_unique<Watched>(std::move(p), args));
      } catch (const Error& e) {
        if (e.code() != Errc::NotFound) throw;  // gone already
      }
    }
  for (auto it = watched.begin(); it != watched.end();) {
    try {
      read(**it);
      ++it;
    } catch (const Error& e) {
      if (!matches_many(sel) || e.code() != Errc::NotFound) throw;
      it = watched.erase(it);
    }
  }
}

}  // namespace inxpect::cli
