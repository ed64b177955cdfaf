// Section names are C identifiers ([A-Za-z_][A-Za-z0-9_]*): the runtime
// refuses anything else, so the plugin does first.  Automatic names never
// collide, even under #line (<fn>_L<line>, then _C<column>, then a
// counter) and never take a name already in use.  Sections of one name are
// one section to the runtime, located in one file: a name used in two
// files (a header, or a #line naming another file) is an error.
// REQUIRES: plugin
// RUN: %inxpect-cc -O2 -g -Werror -fprofile-sections=blocks --emit-instrumented=%t.c -c %s -o %t.o
// RUN: FileCheck %s < %t.c
// RUN: llvm-objcopy -O binary --only-section=.data.inxpect %t.o %t.sites
// RUN: tr '\0' ' ' < %t.sites | FileCheck %s --check-prefix=SITES
// RUN: not %inxpect-cc -O2 -g -DUTF8 -fprofile-sections=blocks -c %s -o %t.bad.o 2>&1 | FileCheck %s --check-prefix=UTF8
// RUN: not %inxpect-cc -O2 -g -DDOLLAR -fprofile-sections -c %s -o %t.bad.o 2>&1 | FileCheck %s --check-prefix=DOLLAR
// RUN: not %inxpect-cc -O2 -g -DDOLLAR_FN -fprofile-sections -c %s -o %t.bad.o 2>&1 | FileCheck %s --check-prefix=DOLLAR-FN
// RUN: %inxpect-cc -O2 -g -DDOLLAR_ALL -fprofile-sections=functions,basic-blocks -fprofile-sections-scope=all -c %s -o %t.all.o 2>&1 | FileCheck %s --check-prefix=DOLLAR-ALL
// RUN: not %inxpect-cc -O2 -g -DTWO_FILES -fprofile-sections=blocks -c %s -o %t.bad.o 2>&1 | FileCheck %s --check-prefix=TWO-FILES
// RUN: not %inxpect-cc -O2 -g -DLINE_FILE -fprofile-sections=blocks -c %s -o %t.bad.o 2>&1 | FileCheck %s --check-prefix=LINE-FILE

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <inxpect/annotate.h>
#ifdef TWO_FILES
#include "../Inputs/plugin/names.h"
#endif

#ifdef UTF8
int g(int x)
{
// UTF8: names.c:[[@LINE+1]]:2: error: inxpect: section name 'café' is not a C identifier ([A-Za-z_][A-Za-z0-9_]*)
	INXPECT_BLOCK(café) { x++; }
	return x;
}
#endif

#ifdef DOLLAR
// DOLLAR: names.c:[[@LINE+1]]:1: error: inxpect: section name 'a$b' is not a C identifier
INXPECT_SECTION_NAMED(a$b)
int h(int x) { return x; }
#endif

#ifdef DOLLAR_FN
INXPECT_SECTION
// DOLLAR-FN: names.c:[[@LINE+1]]:5: error: inxpect: section name 'h$' is not a C identifier
int h$(int x) { return x; }
#endif

#ifdef DOLLAR_ALL
// Not asked for by name: left alone, with a warning.
// DOLLAR-ALL: names.c:[[@LINE+1]]:5: warning: inxpect: function 'h$' not instrumented: its name is not a C identifier ([A-Za-z_][A-Za-z0-9_]*), so no section can be named after it
int h$(int x) { if (x) x++; return x; }
#endif

#ifdef TWO_FILES
int k(int x)
{
// TWO-FILES: names.c:[[@LINE+2]]:21: error: inxpect: section name 'dup' is also used in '{{.*}}names.h': sections of one name are one section; rename one
// TWO-FILES: names.h:6:2: note: 'dup' is used here
	INXPECT_BLOCK(dup) { x = helper(x); }
	return x;
}
#endif

#ifdef LINE_FILE
int l(int x)
{
// LINE-FILE: generated.c:1:22: error: inxpect: section name 'same' is also used in '{{.*}}names.c': sections of one name are one section; rename one
// LINE-FILE: names.c:[[@LINE+1]]:22: note: 'same' is used here
	INXPECT_BLOCK(same) { x++; }
#line 1 "generated.c"
	INXPECT_BLOCK(same) { x--; }
	return x;
}
#endif

// Last: the #line directives below renumber the rest of the file.
// Three blocks on one line under #line, in one column: _L100, _L100_C21,
// then a counter.  f_L200 is taken by a name the user chose.
// CHECK-LABEL: {{^}}int f(int x)
// CHECK: INXPECT_BLOCK_AUTO { INXPECT_SECTION_START(f_L100, 0, "");
// CHECK: INXPECT_BLOCK_AUTO { INXPECT_SECTION_START(f_L100_C21, 1, "");
// CHECK: INXPECT_BLOCK_AUTO { INXPECT_SECTION_START(f_L100_C21_2, 2, "");
// CHECK: INXPECT_BLOCK(f_L200) { INXPECT_SECTION_START(f_L200, 3, "");
// CHECK: INXPECT_BLOCK_AUTO { INXPECT_SECTION_START(f_L200_C21, 4, "");
// SITES: name=f_L100 slot=0 file={{[^ ]*}} line=100{{ }}
// SITES: name=f_L100_C21 slot=1 file={{[^ ]*}} line=100{{ }}
// SITES: name=f_L100_C21_2 slot=2 file={{[^ ]*}} line=100{{ }}
int f(int x)
{
#line 100
	INXPECT_BLOCK_AUTO { x++; }
#line 100
	INXPECT_BLOCK_AUTO { x--; }
#line 100
	INXPECT_BLOCK_AUTO { x += 2; }
	INXPECT_BLOCK(f_L200) { x -= 2; }
#line 200
	INXPECT_BLOCK_AUTO { x ^= 1; }
	return x;
}

char LICENSE[] SEC("license") = "GPL";
