/* More hand-written sections than INXPECT_MAX_SLOTS: a compile error, never
 * two sections sharing a slot (list.test, issue 10 finding 4). */
#define INXPECT_MAX_SLOTS 2
#include <linux/bpf.h>
#include <inxpect/inxpect.h>

__attribute__((section("xdp"), used)) int prog(struct xdp_md *ctx)
{
	START_TRACE(a);
	END_TRACE(a);
	START_TRACE(b);
	END_TRACE(b);
	START_TRACE(c);
	END_TRACE(c);
	return XDP_PASS;
}
char _license[] __attribute__((section("license"), used)) = "GPL";
