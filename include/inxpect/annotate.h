/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Source annotations for inxpect-cc (see docs/instrumentation.md).
 *
 *   INXPECT_SECTION int parse(...) { ... }            section "parse"
 *   INXPECT_SECTION_NAMED(hdr) int parse(...) { ... } section "hdr"
 *   INXPECT_NO_SECTIONS int locked(...) { ... }       no section in it
 *   INXPECT_BLOCK(csum) { ... }                       section "csum"
 *   INXPECT_BLOCK_AUTO { ... }                        section "<fn>_L<line>"
 *   INXPECT_EXCLUDE { ... }                           no section in it
 *
 * Compiled by plain clang they change nothing.  The function attributes
 * exist only while inxpect-cc's plugin parses the source (it defines
 * __INXPECT_REWRITE__): an annotate attribute makes clang emit an
 * out-of-line copy of the function, which BPF may reject ("aggregate
 * returns are not supported", a signed division that only folds once
 * inlined).  The block pragmas are unknown to plain clang, so each is
 * wrapped in a diagnostic push/pop that silences -Wunknown-pragmas for
 * that one pragma only (-Wall -Werror builds stay clean).
 */
#ifndef INXPECT_ANNOTATE_H
#define INXPECT_ANNOTATE_H

#ifdef __INXPECT_REWRITE__
#define INXPECT_SECTION __attribute__((annotate("inxpect.section")))
#define INXPECT_SECTION_NAMED(name) __attribute__((annotate("inxpect.section=" #name)))
#define INXPECT_NO_SECTIONS __attribute__((annotate("inxpect.no_sections")))
#else
#define INXPECT_SECTION
#define INXPECT_SECTION_NAMED(name)
#define INXPECT_NO_SECTIONS
#endif

/* _Pragma takes one string literal, so the text is stringized whole. */
#define __INXPECT_PRAGMA_STR(...) #__VA_ARGS__
#define __INXPECT_PRAGMA(...)                                                                      \
	_Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wunknown-pragmas\"") \
		_Pragma(__INXPECT_PRAGMA_STR(__VA_ARGS__)) _Pragma("clang diagnostic pop")
#define INXPECT_BLOCK(name) __INXPECT_PRAGMA(inxpect section(name))
#define INXPECT_BLOCK_AUTO __INXPECT_PRAGMA(inxpect section)
#define INXPECT_EXCLUDE __INXPECT_PRAGMA(inxpect exclude)

#endif /* INXPECT_ANNOTATE_H */
