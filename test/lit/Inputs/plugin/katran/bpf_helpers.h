/* A program's own helper header, as Katran's linux_includes/bpf_helpers.h
 * writes one: helpers declared by number under libbpf's names but with
 * its own types (no const, other return types), its own SEC and map
 * macros.  Before inxpect.h put its declarations under __inxpect_* names,
 * including it next to inxpect.h failed ("redefinition of
 * 'bpf_map_lookup_elem' with a different type"). */
#ifndef KATRAN_STYLE_BPF_HELPERS_H
#define KATRAN_STYLE_BPF_HELPERS_H

#define SEC(NAME) __attribute__((section(NAME), used))
#define __uint(name, val) int(*name)[val]
#define __type(name, val) typeof(val)* name
#define __inline __attribute__((always_inline))

static void* (*bpf_map_lookup_elem)(void* map, void* key) = (void*)1;
static int (*bpf_map_update_elem)(void* map, void* key, void* value,
                                  unsigned long long flags) = (void*)2;
static unsigned long long (*bpf_ktime_get_ns)(void) = (void*)5;
static unsigned int (*bpf_get_smp_processor_id)(void) = (void*)8;
static int (*bpf_xdp_adjust_head)(void* ctx, int offset) = (void*)44;
static int (*bpf_perf_event_read_value)(void* map, unsigned long long flags,
                                        void* buf, unsigned int size) = (void*)55;

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#endif
