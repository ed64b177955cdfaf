#!/usr/bin/env python3
"""gen_many.py KIND N: a C file with N sections in functions of 100 each.
KIND blocks: INXPECT_BLOCK(bK) { ... } (blocks mode); KIND arms: unbraced
if arms (basic-block mode)."""
import sys

kind, n = sys.argv[1], int(sys.argv[2])
out = ["#include <inxpect/annotate.h>", ""]
for f in range((n + 99) // 100):
    out += ["int f%d(int x)" % f, "{"]
    for k in range(f * 100, min(n, f * 100 + 100)):
        if kind == "blocks":
            out.append("\tINXPECT_BLOCK(b%d) { x += %d; }" % (k, k))
        else:
            out += ["\tif (x == %d)" % k, "\t\tx += %d;" % k]
    out += ["\treturn x;", "}", ""]
print("\n".join(out))
