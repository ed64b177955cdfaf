// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "loader.h"

static struct bpf_map *find_map(struct bpf_object *obj, const char *suffix)
{
	size_t n = strlen(suffix);
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		size_t l = strlen(name);

		if (l >= n && !strcmp(name + l - n, suffix))
			return m;
	}
	return NULL;
}

/* "drop_traced.__inxpect_id_body.2" -> "body": the variable is static and
 * local to a function, so the compiler prefixes the function and suffixes
 * a counter when one name occurs twice. */
static int id_for(struct vm_obj *o, const char *var)
{
	const char *p = strstr(var, INXPECT_ID_PREFIX);
	char name[64];
	size_t len;
	int i;

	p += strlen(INXPECT_ID_PREFIX);
	len = strcspn(p, ".");
	if (len >= sizeof(name))
		return -ENAMETOOLONG;
	memcpy(name, p, len);
	name[len] = 0;
	for (i = 0; i < o->nr_ids; i++)
		if (!strcmp(o->ids[i], name))
			return i;
	if (o->nr_ids == VMTEST_MAX_IDS)
		return -E2BIG;
	strcpy(o->ids[o->nr_ids], name);
	return o->nr_ids++;
}

/* Writes the loader-chosen constants into .rodata before load. */
static int set_rodata(struct vm_obj *o, struct vm_src src)
{
	struct btf *btf = bpf_object__btf(o->obj);
	struct bpf_map *ro = find_map(o->obj, ".rodata");
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	size_t size;
	char *data;
	int i, id;

	if (!btf || !ro)
		return -ENOENT;
	data = (char *)bpf_map__initial_value(ro, &size);
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (!data || id < 0)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const char *var = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
		__u32 *p = (__u32 *)(data + vs->offset);

		if (vs->offset + vs->size > size)
			return -EINVAL;
		if (!strcmp(var, "inxpect_mode")) {
			*p = src.src + 1; /* INXPECT_MODE_ONE_<src>, as the runtime sets it */
		} else if (!strcmp(var, "inxpect_nr_events")) {
			*p = 1;
		} else if (!strcmp(var, "inxpect_ev_src")) {
			p[0] = src.src;
		} else if (!strcmp(var, "inxpect_ev_slot")) {
			p[0] = src.slot;
		} else if (strstr(var, INXPECT_ID_PREFIX)) {
			int sid = id_for(o, var);

			if (sid < 0)
				return sid;
			*p = sid;
		}
	}
	return 0;
}

int vm_obj_load(struct vm_obj *o, const char *path, struct vm_src src, const char **err)
{
	struct bpf_map *state, *ctl;
	size_t size;
	int ret;

	memset(o, 0, sizeof(*o));
	o->state_fd = -1;
	o->obj = bpf_object__open_file(path, NULL);
	if (!o->obj) {
		*err = "open";
		return -errno;
	}
	ret = set_rodata(o, src);
	if (ret) {
		*err = "rodata";
		goto fail;
	}
	state = bpf_object__find_map_by_name(o->obj, "inxpect_state");
	if (!state || !o->nr_ids) {
		*err = "no inxpect_state or no sections";
		ret = -ENOENT;
		goto fail;
	}
	/* One entry per section, as a loader would size it. */
	ret = bpf_map__set_max_entries(state, o->nr_ids);
	if (ret) {
		*err = "max_entries";
		goto fail;
	}
	ret = bpf_object__load(o->obj);
	if (ret) {
		*err = "load (verifier)";
		goto fail;
	}
	o->state_fd = bpf_map__fd(state);
	/*
	 * Map .data.inxpect ourselves: libbpf 1.1 remaps internal maps onto
	 * the kernel's copy only for skeletons, so bpf_map__initial_value()
	 * would be a private copy here.
	 */
	ctl = find_map(o->obj, ".data.inxpect");
	if (!ctl || bpf_map__value_size(ctl) < sizeof(*o->ctl)) {
		*err = "no .data.inxpect";
		ret = -ENOENT;
		goto fail;
	}
	size = bpf_map__value_size(ctl);
	o->ctl_size = (size + getpagesize() - 1) & ~((size_t)getpagesize() - 1);
	o->ctl = mmap(NULL, o->ctl_size, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(ctl), 0);
	if (o->ctl == MAP_FAILED) {
		o->ctl = NULL;
		*err = "mmap .data.inxpect";
		ret = -errno;
		goto fail;
	}
	return 0;
fail:
	bpf_object__close(o->obj);
	o->obj = NULL;
	return ret;
}

void vm_obj_close(struct vm_obj *o)
{
	if (o->ctl)
		munmap(o->ctl, o->ctl_size);
	o->ctl = NULL;
	bpf_object__close(o->obj);
	o->obj = NULL;
}

int vm_prog_fd(struct vm_obj *o, const char *prog)
{
	struct bpf_program *p = bpf_object__find_program_by_name(o->obj, prog);

	return p ? bpf_program__fd(p) : -ENOENT;
}

int vm_section_id(struct vm_obj *o, const char *name)
{
	int i;

	for (i = 0; i < o->nr_ids; i++)
		if (!strcmp(o->ids[i], name))
			return i;
	return -ENOENT;
}

/* Per-CPU values come back one per possible CPU, each padded to 8 bytes. */
static size_t sec_stride(void)
{
	return (sizeof(struct inxpect_sec) + 7) & ~(size_t)7;
}

int vm_read_section(struct vm_obj *o, int id, struct vm_section *out)
{
	int ncpu = libbpf_num_possible_cpus(), c, seen = 0;
	__u32 key = id;
	char *buf;

	if (ncpu < 0)
		return ncpu;
	buf = calloc(ncpu, sec_stride());
	if (!buf)
		return -ENOMEM;
	if (bpf_map_lookup_elem(o->state_fd, &key, buf)) {
		free(buf);
		return -errno;
	}
	memset(out, 0, sizeof(*out));
	for (c = 0; c < ncpu; c++) {
		const struct inxpect_sec *s = (void *)(buf + c * sec_stride());

		out->bad += s->bad;
		if (!s->count)
			continue;
		out->count += s->count;
		out->sum += s->sum[0];
		if (!seen || ~s->inv_min[0] < out->min)
			out->min = ~s->inv_min[0];
		if (s->max[0] > out->max)
			out->max = s->max[0];
		seen = 1;
	}
	free(buf);
	return 0;
}

int vm_reset_sections(struct vm_obj *o)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	char *zero;

	if (ncpu < 0)
		return ncpu;
	zero = calloc(ncpu, sec_stride());
	if (!zero)
		return -ENOMEM;
	for (i = 0; i < o->nr_ids; i++) {
		__u32 key = i;

		if (bpf_map_update_elem(o->state_fd, &key, zero, BPF_ANY)) {
			free(zero);
			return -errno;
		}
	}
	free(zero);
	return 0;
}
