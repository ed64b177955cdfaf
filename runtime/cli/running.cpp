// `inxpect attach` without an object: programs that are already running,
// measured where they are, reported as `inxpect attach OBJ` reports.
#include <iostream>

#include "commands.h"
#include "libinxpect/running.h"
#include "watch.h"

namespace inxpect::cli {

int attach_running(const Args& args) {
  Schedule when = schedule_of(args);
  auto fmt = output_formatter(args.get("--format", "table"), false);
  RunStats stats;
  auto watched = watch_selected(args);
  for (const auto& w : watched)
    std::cerr << "inxpect: watching program " << w->program().id << " (" << w->program().name
              << (w->program().ifname.empty() ? "" : " on " + w->program().ifname)
              << (w->program().role == Role::Dispatcher ? ", libxdp dispatcher" : "")
              << (w->program().role == Role::Component
                      ? ", behind dispatcher " + std::to_string(w->program().dispatcher)
                      : "")
              << (w->program().inx ? "" : ", not instrumented") << "); Ctrl-C to stop\n";
  every_interval(when, [&] {
    refresh(watched, args, [&](Watched& w) { fmt->write(w.interval().report, std::cout); });
    flush_output(std::cout, "the report");
  });
  return 0;
}

}  // namespace inxpect::cli
