#include <inxpect/annotate.h>

INXPECT_SECTION
int f(int x)
{
	return x +;
}
