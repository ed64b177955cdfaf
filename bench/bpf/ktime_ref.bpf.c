// SPDX-License-Identifier: GPL-2.0
/* The reference for the ktime backend's cost: an app's bare body between
 * exactly two bpf_ktime_get_ns calls, and the difference added to a global,
 * the least a profiler built on that helper can do per packet.  Built once
 * per app (bench/CMakeLists.txt): REF_SRC is the app's source and REF_APP
 * its name; the app's entry function, xdp_<REF_APP>, is inlined here. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Every SEC() of the app's source also says always_inline, so its entry
 * function is inlined into xdp_ref below (its maps ignore the attribute). */
#pragma clang diagnostic ignored "-Wignored-attributes"
#undef SEC
#define SEC(name) __attribute__((section(name), used, always_inline))
#include REF_SRC
#undef SEC
#define SEC(name) __attribute__((section(name), used))

#define CAT(a, b) a##b
#define ENTRY(app) CAT(xdp_, app)

__u64 ref_ns;

SEC("xdp")
int xdp_ref(struct xdp_md *ctx)
{
	__u64 t = bpf_ktime_get_ns();
	int ret = ENTRY(REF_APP)(ctx);

	ref_ns += bpf_ktime_get_ns() - t;
	return ret;
}
