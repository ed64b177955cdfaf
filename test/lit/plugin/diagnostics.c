// Constructs the instrumenter cannot handle get a diagnostic at the
// user's file:line:col, and are left exactly as they were.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -fprofile-sections=functions,blocks --emit-instrumented=%t.c -c %s -o %t.o 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: FileCheck %s --check-prefix=OUT < %t.c
// RUN: not %inxpect-cc -O2 -g -fprofile-sections -DBAD_NAME -c %s -o %t.bad.o 2>&1 | FileCheck %s --check-prefix=BAD-NAME
// RUN: not %inxpect-cc -O2 -g -fprofile-sections=blocks -DBAD_PRAGMA -c %s -o %t.bad.o 2>&1 | FileCheck %s --check-prefix=BAD-PRAGMA
// Warnings are the user's to promote: -Werror makes them fail the build.
// RUN: not %inxpect-cc -O2 -g -Werror -fprofile-sections=blocks -c %s -o %t.werror.o 2>&1 | FileCheck %s --check-prefix=WERROR
// WERROR: error: inxpect: section 'into'

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

#define BRACED(x) { x; }

SEC("xdp") int prog(struct xdp_md *ctx)
{
	int n = ctx->ingress_ifindex;

	if (n == 7)
		goto inside;
// CHECK: diagnostics.c:[[@LINE+3]]:22: warning: inxpect: section 'into' not instrumented: it can be entered by a jump from outside
// CHECK: diagnostics.c:[[@LINE-2]]:3: note: jump into the section is here
// OUT: {{^}}	INXPECT_BLOCK(into) {{{$}}
	INXPECT_BLOCK(into) {
		n++;
	inside:
		n--;
	}

	switch (n) {
	case 0:
// CHECK: diagnostics.c:[[@LINE+3]]:22: warning: inxpect: section 'duff' not instrumented: it can be entered by a jump from outside
// CHECK: diagnostics.c:[[@LINE+4]]:2: note: jump into the section is here
// OUT: {{^}}	INXPECT_BLOCK(duff) {{{$}}
	INXPECT_BLOCK(duff) {
		n++;
	case 1:
		n++;
	}
	}

// CHECK: diagnostics.c:[[@LINE+2]]:23: warning: inxpect: section 'macro' not instrumented: its braces come from a macro or another file
// OUT: {{^}}	INXPECT_BLOCK(macro) BRACED(n++){{$}}
	INXPECT_BLOCK(macro) BRACED(n++)

// CHECK: diagnostics.c:[[@LINE+4]]:24: warning: inxpect: section 'twice' not instrumented: it is nested in a section of the same name
// OUT: {{^}}	INXPECT_BLOCK(twice) { INXPECT_SECTION_START(twice, {{[0-9]+}}, "");
// OUT-NEXT: {{^}}		INXPECT_BLOCK(twice) {{{$}}
	INXPECT_BLOCK(twice) {
		INXPECT_BLOCK(twice) {
			n++;
		}
	}

// Reported once the whole file is parsed.
// CHECK: diagnostics.c:[[@LINE+1]]:2: warning: inxpect: '#pragma inxpect section' ignored: it must directly precede a compound statement ('{') inside a function
	INXPECT_BLOCK(stray)
	n += 3;
	return n ? XDP_PASS : XDP_DROP;
}

#ifdef BAD_NAME
// BAD-NAME: diagnostics.c:[[@LINE+1]]:16: error: inxpect: section name 'not-an-identifier' is not a C identifier
__attribute__((annotate("inxpect.section=not-an-identifier")))
static int bad(void) { return 0; }
#endif

#ifdef BAD_PRAGMA
static int bad_pragma(int n)
{
// BAD-PRAGMA: diagnostics.c:[[@LINE+1]]:25: error: expected a section name (a C identifier)
#pragma inxpect section(1)
	{ n++; }
	return n;
}
#endif

char LICENSE[] SEC("license") = "GPL";
