// What the plugin must not instrument: a function marked
// INXPECT_NO_SECTIONS, a statement after INXPECT_EXCLUDE or
// "#pragma inxpect exclude" (in every mode), and, with a warning, the
// constructs instrumentation would break: a section an asm goto can jump
// out of, a function with a computed goto, a naked function, START or END
// where a bpf_spin_lock is held (inside the locked region, or in a
// function called there), an arm cut by a macro.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Wall -fprofile-sections=functions,blocks,basic-blocks -fprofile-sections-scope=all --emit-instrumented=%t.c -c %s -o %t.o -Xclang -plugin-arg-inxpect-rewrite -Xclang check-cfg 2>&1 | FileCheck %s --check-prefix=DIAG --implicit-check-not=warning: --implicit-check-not=error:
// RUN: FileCheck %s < %t.c
// RUN: %clang-bpf -Werror -Wno-unknown-pragmas -c %s -o %t.plain.o
// RUN: %inxpect-cc -O2 -g -fsyntax-only -DODD -fprofile-sections %s 2>&1 | FileCheck %s --check-prefix=ODD --implicit-check-not=warning:

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>

struct val {
	struct bpf_spin_lock lock;
	int n;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} m SEC(".maps");

#define TWICE(x) x++; x++

// CHECK-LABEL: {{^}}INXPECT_NO_SECTIONS static __always_inline int skipped(int a)
// CHECK-NEXT: {{^}}{{{$}}
// CHECK-NEXT: {{^}}	if (a){{$}}
// CHECK-NEXT: {{^}}		a++;{{$}}
// CHECK-NEXT: {{^}}	INXPECT_BLOCK(inner) { a--; }{{$}}
// DIAG: exclusions.c:[[@LINE+5]]:2: warning: inxpect: section 'inner' not instrumented: its function is marked INXPECT_NO_SECTIONS
INXPECT_NO_SECTIONS static __always_inline int skipped(int a)
{
	if (a)
		a++;
	INXPECT_BLOCK(inner) { a--; }
	return a;
}

// Called with the lock held: not a single section.
// DIAG: exclusions.c:[[@LINE+3]]:28: warning: inxpect: function 'bump' not instrumented: it is called while a bpf_spin_lock is held
// DIAG: exclusions.c:[[@LINE+20]]:8: note: it is called here, with a bpf_spin_lock held
// CHECK-LABEL: {{^}}static __always_inline int bump(struct val *v)
static __always_inline int bump(struct val *v)
{
	if (v->n > 10)
		return 0;
	return ++v->n;
}
// CHECK-NEXT: {{^}}{{{$}}

// The body holds the whole locked region: a section.  A statement that
// takes or releases the lock ends a run; the arm inside is no section.
// DIAG: exclusions.c:[[@LINE+8]]:3: warning: inxpect: section 'locked_L[[@LINE+8]]' not instrumented: its START or END would run with a bpf_spin_lock held
// DIAG: exclusions.c:[[@LINE+5]]:2: note: the bpf_spin_lock is taken here
// DIAG: exclusions.c:[[@LINE+1]]:28: remark: inxpect: 'locked': 3 basic-block sections placed, 1 skipped; clang's CFG: 4 measured statement-level blocks
static __always_inline int locked(struct val *v, int a)
{
	int r = a ? 1 : 0;
	bpf_spin_lock(&v->lock);
	if (v->n)
		r += bump(v);
	bpf_spin_unlock(&v->lock);
	if (r > 2)
		r = 2;
	return r;
}
// CHECK-LABEL: {{^}}static __always_inline int locked(struct val *v, int a)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START(locked, {{[0-9]+}}, "");
// CHECK-NEXT: {{^}}	INXPECT_SECTION_START(locked_L[[L:[0-9]+]], {{.*}} int r = a ? 1 : 0; INXPECT_SECTION_END(locked_L[[L]], {{[0-9]+}}, __inxpect_run);{{$}}
// CHECK-NEXT: {{^}}	bpf_spin_lock(&v->lock);{{$}}
// CHECK-NEXT: {{^}}	if (v->n){{$}}
// CHECK-NEXT: {{^}}		r += bump(v);{{$}}
// CHECK-NEXT: {{^}}	bpf_spin_unlock(&v->lock);{{$}}
// CHECK-NEXT: {{^}}	if (r > 2){{$}}
// CHECK-NEXT: {{^}}		{ INXPECT_SECTION_START(locked_L{{[0-9]+}},

// DIAG: exclusions.c:[[@LINE+5]]:13: warning: inxpect: section 'agoto_L[[@LINE+5]]' not instrumented: an asm goto in it can jump out of it
// DIAG: exclusions.c:[[@LINE+5]]:3: note: the asm goto is here
// DIAG: exclusions.c:[[@LINE+1]]:28: remark: inxpect: 'agoto': 2 basic-block sections placed, 1 skipped; clang's CFG: 3 measured statement-level blocks
static __always_inline int agoto(int a)
{
	if (a > 2) {
		asm goto("if %0 > 5 goto %l[big]" :: "r"(a) :: big);
		a++;
	}
	return a;
big:
	return 7;
}

// Excluded statements: no section in or around them, in any mode.
// DIAG: exclusions.c:[[@LINE+10]]:3: warning: inxpect: section 'kept_out' not instrumented: it is in an excluded statement
// DIAG: exclusions.c:[[@LINE+15]]:3: warning: inxpect: section 'excl_L[[@LINE+15]]' not instrumented: it comes from inside the expansion of macro 'TWICE'
// DIAG: exclusions.c:[[@LINE+1]]:28: remark: inxpect: 'excl': 1 basic-block sections placed, 2 skipped; clang's CFG: 3 measured statement-level blocks
static __always_inline int excl(int a)
{
	INXPECT_EXCLUDE
	if (a)
		a = 3;
	else {
		a = 4;
		INXPECT_BLOCK(kept_out) { a++; }
	}
#pragma inxpect exclude
	for (int i = 0; i < 3; i++)
		a += i;
	if (a == 9)
		TWICE(a);
	return a;
}
// CHECK-LABEL: {{^}}static __always_inline int excl(int a)
// CHECK-NEXT: {{^}}{ INXPECT_RUN_JOIN(); INXPECT_SECTION_START(excl, {{[0-9]+}}, "");
// CHECK-NEXT: {{^}}	INXPECT_EXCLUDE{{$}}
// CHECK-NEXT: {{^}}	if (a){{$}}
// CHECK-NEXT: {{^}}		a = 3;{{$}}
// CHECK-NEXT: {{^}}	else {{{$}}
// CHECK-NEXT: {{^}}		a = 4;{{$}}
// CHECK-NEXT: {{^}}		INXPECT_BLOCK(kept_out) { a++; }{{$}}
// CHECK-NEXT: {{^}}	}{{$}}
// CHECK-NEXT: {{^}}// #pragma inxpect exclude{{$}}
// CHECK-NEXT: {{^}}	for (int i = 0; i < 3; i++){{$}}
// CHECK-NEXT: {{^}}		a += i;{{$}}
// CHECK-NEXT: {{^}}	if (a == 9){{$}}
// CHECK-NEXT: {{^}}		TWICE(a);{{$}}
// CHECK-NEXT: {{^}}	return a;{{$}}

// DIAG: exclusions.c:[[@LINE+1]]:16: remark: inxpect: 'prog': 4 basic-block sections placed
SEC("xdp") int prog(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct val *v = bpf_map_lookup_elem(&m, &k);
	int a = ctx->data_end - ctx->data;

	if (!v)
		return XDP_PASS;
	a = locked(v, a) + skipped(a) + agoto(a) + excl(a);
	return a & 1 ? XDP_PASS : XDP_DROP;
}

#ifdef ODD
// ODD: exclusions.c:[[@LINE+2]]:28: warning: inxpect: function 'nk' not instrumented: it is naked (only asm is allowed in it)
INXPECT_SECTION
__attribute__((naked)) int nk(void)
{
	asm volatile("r0 = 0; exit;");
}

INXPECT_SECTION
int cg(int x)
{
	void *t[] = { &&a, &&b };
// ODD: exclusions.c:[[@LINE+1]]:15: warning: inxpect: function 'cg' not instrumented: it has a computed goto, which cannot leave a section's scope
	if (x > 3) { goto *t[x & 1]; }
a:	return 1;
b:	return 2;
}
#endif

char LICENSE[] SEC("license") = "GPL";
