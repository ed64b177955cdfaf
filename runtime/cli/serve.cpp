// `inxpect serve`: the running programs' figures as OpenMetrics for
// Prometheus to scrape, through prometheus-cpp's pull exposer.  Each scrape
// reads every program once, under one lock, so what it returns is one
// consistent picture (cumulative since serve began).
#include "commands.h"
#include "libinxpect/error.h"

#ifdef INXPECT_HAVE_PROMETHEUS
#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <prometheus/metric_family.h>

#include <cctype>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>

#include "libinxpect/running.h"
#include "libinxpect/stats.h"
#include "watch.h"
#endif

namespace inxpect::cli {

#ifdef INXPECT_HAVE_PROMETHEUS
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

class Collector : public prometheus::Collectable {
 public:
  Collector(std::vector<std::unique_ptr<Watched>> watched, const Args& args)
      : watched_(std::move(watched)), args_(args) {}

  std::vector<MetricFamily> Collect() const override {
    std::lock_guard<std::mutex> lock(mu_);
    MetricFamily info{
        "inxpect_build_info", "The inxpect that exports these metrics", MetricType::Gauge, {}};
    ClientMetric one;
    one.label = {{"version", INXPECT_VERSION}};
    one.gauge.value = 1;
    info.metric.push_back(one);
    MetricFamily runs{"inxpect_section_runs_total",
                      "Executions of the section (estimated from those measured when sampling)",
                      MetricType::Counter,
                      {}};
    MetricFamily duration{"inxpect_section_duration_seconds",
                          "Time in the section per execution measured (ktime)",
                          MetricType::Histogram,
                          {}};
    MetricFamily prog_runs{"inxpect_program_runs_total",
                           "Runs of the program (the kernel's count, BPF_ENABLE_STATS)",
                           MetricType::Counter,
                           {}};
    MetricFamily prog_time{"inxpect_program_run_seconds_total",
                           "Time in the program (the kernel's, BPF_ENABLE_STATS)",
                           MetricType::Counter,
                           {}};
    // One counter family per hardware event a program measures.
    std::map<std::string, MetricFamily> hardware;
    std::vector<std::pair<const Watched*, Observed>> seen;
    // A scrape never fails: a program the user named that went away, or a
    // list the kernel refused, leaves its metrics out.
    try {
      refresh(watched_, args_, [&](Watched& w) { seen.emplace_back(&w, w.total()); });
    } catch (const Error&) {
    }
    for (const auto& [w, o] : seen) {
      const RunningProgram& p = w->program();
      std::vector<ClientMetric::Label> prog = {
          {"prog_id", std::to_string(p.id)}, {"prog_name", p.name}, {"ifname", p.ifname}};
      // A component behind libxdp's dispatcher has no kernel figures: its
      // dispatcher's include it.  No counter is better than a false 0.
      if (p.role != Role::Component) {
        ClientMetric m;
        m.label = prog;
        m.counter.value = static_cast<double>(o.runs);
        prog_runs.metric.push_back(m);
        m.counter.value = static_cast<double>(o.run_ns) * 1e-9;
        prog_time.metric.push_back(m);
      }
      for (const ReportRow& r : o.report.rows) {
        ClientMetric s;
        s.label = prog;
        s.label.push_back({"section", r.section.name});
        s.label.push_back({"location", r.section.file + ":" + std::to_string(r.section.line)});
        ClientMetric c = s;
        c.counter.value = static_cast<double>(r.executions);
        runs.metric.push_back(c);
        for (size_t e = 0; e < o.report.events.size(); e++) {
          const Event& ev = o.report.events[e];
          if (!ev.hardware) continue;
          std::string name = "inxpect_section_" + ev.name + "_total";
          for (char& ch : name)
            if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
          auto [it, fresh] = hardware.try_emplace(name);
          if (fresh)
            it->second = {name,
                          ev.name + " counted in the section (measured executions)",
                          MetricType::Counter,
                          {}};
          c.counter.value = static_cast<double>(r.stats.ev[e].sum);
          it->second.metric.push_back(c);
        }
        if (o.report.events.empty() || o.report.events[0].source != Source::Ktime) continue;
        duration.metric.push_back(histogram(s, r));
      }
    }
    std::vector<MetricFamily> out = {info, runs, duration, prog_runs, prog_time};
    for (auto& [name, f] : hardware) out.push_back(std::move(f));
    return out;
  }

 private:
  // The section's histogram (ns, abi.h's buckets) in seconds.  A bucket
  // holds [low, high): its high bound is the le of Prometheus's cumulative
  // bucket.  The last bucket also holds everything larger, so it is +Inf;
  // _count is the histogram's own total, so it always equals +Inf's.
  static ClientMetric histogram(const ClientMetric& labels, const ReportRow& r) {
    ClientMetric m = labels;
    uint64_t cum = 0;
    for (unsigned b = 0; b + 1 < INXPECT_HIST_BUCKETS; b++) {
      cum += r.hist[b];
      m.histogram.bucket.push_back({cum, bucket_high(b) * 1e-9});
    }
    cum += r.hist[INXPECT_HIST_BUCKETS - 1];
    m.histogram.bucket.push_back({cum, std::numeric_limits<double>::infinity()});
    m.histogram.sample_count = cum;
    m.histogram.sample_sum = static_cast<double>(r.stats.ev[0].sum) * 1e-9;
    return m;
  }

  mutable std::mutex mu_;
  // Changed by scrapes, under mu_: programs come and go.
  mutable std::vector<std::unique_ptr<Watched>> watched_;
  const Args& args_;
};

}  // namespace

int cmd_serve(const Args& args) {
  Schedule when = schedule_of(args);
  if (!args.has("--listen")) throw Error("serve needs --listen ADDR (such as :9435)", Errc::Usage);
  RunStats stats;
  auto collector = std::make_shared<Collector>(watch_selected(args), args);
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(args.get("--listen"));
  } catch (const std::exception& e) {
    throw Error("cannot listen on " + args.get("--listen") + ": " + e.what(), Errc::System);
  }
  exposer->RegisterCollectable(collector);
  std::cerr << "inxpect: serving metrics on " << args.get("--listen") << "/metrics"
            << "; Ctrl-C to stop\n";
  // The exposer's threads answer scrapes; this one waits for the end.
  every_interval(when, [] {});
  return 0;
}
#else
int cmd_serve(const Args&) {
  throw Error("inxpect was built without prometheus-cpp (apt install prometheus-cpp-dev, rebuild)",
              Errc::Unsupported);
}
#endif

}  // namespace inxpect::cli
