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
// CHECK-NEXT: {{^}}{ START_TRACE_CALL(body); int __inxpect_g_{{[0-9]+}} __attribute__((cleanup(__inxpect_end_{{[0-9]+}}), unused)) = 0;{{$}}
// CHECK: {{^}}static __always_inline void __inxpect_end_{{[0-9]+}}(int *g) { END_TRACE_CALL(body); }
// BAD: error: inxpect-rewrite: invalid argument 'granularity=loops'
INXPECT_SECTION int body(int x)
{
	return x + 1;
}
