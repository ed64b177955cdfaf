/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Source annotations for inxpect-cc (see docs/instrumentation.md).
 *
 *   INXPECT_SECTION int parse(...) { ... }            section "parse"
 *   INXPECT_SECTION_NAMED(hdr) int parse(...) { ... } section "hdr"
 *   INXPECT_BLOCK(csum) { ... }                       section "csum"
 *   INXPECT_BLOCK_AUTO { ... }                        section "<fn>_L<line>"
 *
 * Compiled by plain clang they change nothing: the annotate attribute is
 * not emitted for BPF, and the block pragma is unknown there, so it is
 * wrapped in a diagnostic push/pop that silences -Wunknown-pragmas for
 * that one pragma only (-Wall -Werror builds stay clean).
 */
#ifndef INXPECT_ANNOTATE_H
#define INXPECT_ANNOTATE_H

#define INXPECT_SECTION __attribute__((annotate("inxpect.section")))
#define INXPECT_SECTION_NAMED(name) __attribute__((annotate("inxpect.section=" #name)))

/* _Pragma takes one string literal, so the text is stringized whole. */
#define __INXPECT_PRAGMA_STR(...) #__VA_ARGS__
#define __INXPECT_PRAGMA(...)                                                                      \
	_Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wunknown-pragmas\"") \
		_Pragma(__INXPECT_PRAGMA_STR(__VA_ARGS__)) _Pragma("clang diagnostic pop")
#define INXPECT_BLOCK(name) __INXPECT_PRAGMA(inxpect section(name))
#define INXPECT_BLOCK_AUTO __INXPECT_PRAGMA(inxpect section)

#endif /* INXPECT_ANNOTATE_H */
