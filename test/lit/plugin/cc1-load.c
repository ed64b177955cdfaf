// The plugin alone, loaded into clang's frontend with -cc1 -load (no
// inxpect-cc in between), so a failure here is the plugin's, and one that
// shows only through inxpect-cc is the driver's.
// REQUIRES: plugin
// RUN: %clang-cc1-bpf -fsyntax-only -load %inxpect-plugin -plugin inxpect-rewrite -plugin-arg-inxpect-rewrite granularity=functions -plugin-arg-inxpect-rewrite out=%t.c %s
// RUN: FileCheck %s < %t.c
// RUN: not %clang-cc1-bpf -fsyntax-only -load %inxpect-plugin -plugin inxpect-rewrite -plugin-arg-inxpect-rewrite granularity=loops -plugin-arg-inxpect-rewrite out=%t.bad.c %s 2>&1 | FileCheck %s --check-prefix=BAD

#include <inxpect/annotate.h>

// CHECK: {{^}}#include <inxpect/inxpect.h>
// CHECK-LABEL: {{^}}INXPECT_SECTION int body(int x)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START(body, 0, ""); INXPECT_GUARD(__inxpect_g_[[G:[0-9]+]], __inxpect_end_[[G]]);{{$}}
// CHECK: {{^}}static __inline__ __attribute__((__always_inline__)) void __inxpect_end_[[G]](__inxpect_run_t *g) { INXPECT_SECTION_END(body, 0, *g); }{{$}}
// BAD: error: inxpect-rewrite: invalid argument 'granularity=loops'
INXPECT_SECTION int body(int x)
{
	return x + 1;
}
