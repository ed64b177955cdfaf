// Measuring the profiler's own cost on this machine, with the counters
// being profiled with: the built-in calibration object (a libbpf skeleton,
// runtime/bpf/calibration.bpf.c) runs an empty section, and an empty
// section inside another, under the same events, sources, probe and
// sampling rate.
#pragma once

#include <cstdint>

#include "libinxpect/calibration.h"
#include "libinxpect/loader.h"

namespace inxpect {

class Counters;

// `probe` and `bare_copies`: the profiled object's (LoadedObject::probe(),
// bare_copies()), so that the calibration measures the same code.  Throws
// Error when the calibration object cannot load or measures nothing.
Calibration calibrate(const Counters& counters, const ProbeConfig& probe, uint32_t sample_rate,
                      bool bare_copies = false);

}  // namespace inxpect
