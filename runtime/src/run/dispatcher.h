// libxdp's dispatcher: the one XDP program libxdp attaches to an interface,
// which calls the component programs loaded behind it (freplace programs,
// one per slot) in turn.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace inxpect {

// The program name libxdp gives its dispatcher, and checks first.
inline constexpr const char* kDispatcherName = "xdp_dispatcher";

// The component programs, by id in run order, behind dispatcher
// `dispatcher_id` on interface `ifindex`; nothing is loaded, attached or
// pinned.  Throws Error with one line for a dispatcher this build cannot
// read (its version or layout, its pins missing, no libxdp in the build).
std::vector<uint32_t> dispatcher_components(unsigned ifindex, uint32_t dispatcher_id,
                                            const std::string& what);

}  // namespace inxpect
