/* An END_TRACE that no START_TRACE opened, and one outside the scope of
 * its START: neither compiles (list.test). */
#include <linux/bpf.h>
#include <inxpect/inxpect.h>

__attribute__((section("xdp"), used)) int prog(struct xdp_md *ctx)
{
#ifdef ORPHAN
	END_TRACE(orphan);
#else
	if (ctx->ingress_ifindex) {
		START_TRACE(scoped);
	}
	END_TRACE(scoped);
#endif
	return XDP_PASS;
}
