/* A header with a hand-written section, for names.c. */
#include <inxpect/inxpect.h>

static __always_inline int helper(int x)
{
	START_TRACE(dup);
	x *= 3;
	END_TRACE(dup);
	return x;
}
