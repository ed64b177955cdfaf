// SPDX-License-Identifier: GPL-2.0
// The VM tests' C interface over the runtime's loader, controls and state
// reader: the guest runs what `inxpect` runs.
#include "loader.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "inxpect/abi.h"

#include "libinxpect/controls.h"
#include "libinxpect/error.h"
#include "libinxpect/loader.h"
#include "libinxpect/state.h"

using namespace inxpect;

struct vm_loaded {
	explicit vm_loaded(LoadedObject o) : obj(std::move(o)), controls(obj), state(obj, 1)
	{
	}
	LoadedObject obj;
	Controls controls;
	StateReader state;
};

namespace
{

std::string g_error;

// Runs `f`; an Error becomes -errno (or -EINVAL) and its message.
template <class F> int guard(F f)
{
	try {
		f();
		return 0;
	} catch (const Error &e) {
		g_error = e.what();
		return e.sys_errno() ? -e.sys_errno() : -EINVAL;
	}
}

} // namespace

extern "C" int vm_obj_load(struct vm_obj *o, const char *path, struct vm_src src, const char **err)
{
	o->impl = nullptr;
	ProbeConfig probe;
	probe.sources = { static_cast<Source>(src.src) };
	probe.slots = { src.slot };
	probe.lean = src.lean;
	int ret = guard([&] {
		auto loaded = std::make_unique<vm_loaded>(LoadedObject::load(path, probe));
		if (loaded->obj.sections().empty())
			throw Error(std::string(path) + " has no sections", Errc::BadInput, ENOENT);
		o->impl = loaded.release();
	});
	*err = g_error.c_str();
	return ret;
}

extern "C" void vm_obj_close(struct vm_obj *o)
{
	delete o->impl;
	o->impl = nullptr;
}

extern "C" int vm_prog_fd(struct vm_obj *o, const char *prog)
{
	bpf_program *p = bpf_object__find_program_by_name(o->impl->obj.get(), prog);
	return p ? bpf_program__fd(p) : -ENOENT;
}

extern "C" int vm_section_id(struct vm_obj *o, const char *name)
{
	const Section *s = o->impl->obj.sections().find(name);
	return s ? static_cast<int>(s->id) : -ENOENT;
}

extern "C" int vm_set_sample_rate(struct vm_obj *o, __u32 rate)
{
	return guard([&] { o->impl->controls.set_sample_rate(rate); });
}

extern "C" int vm_set_enabled(struct vm_obj *o, const char *name, int enabled)
{
	return guard([&] { o->impl->controls.set_enabled(name, enabled != 0); });
}

extern "C" int vm_read_section(struct vm_obj *o, int id, struct vm_section *out)
{
	return guard([&] {
		SectionStats s = section_total(
			o->impl->state.snapshot(),
			o->impl->obj.sections().sections().at(static_cast<uint32_t>(id)), 1);
		*out = vm_section{ s.count, s.bad, s.ev[0].sum, s.ev[0].min, s.ev[0].max };
	});
}

extern "C" int vm_reset_sections(struct vm_obj *o)
{
	return guard([&] { o->impl->state.reset(); });
}

namespace
{

bool has_slot(const Section &s, uint32_t slot)
{
	return std::find(s.slots.begin(), s.slots.end(), slot) != s.slots.end();
}

const Section &section_named(struct vm_obj *o, const char *name)
{
	const Section *s = o->impl->obj.sections().find(name);
	if (!s)
		throw Error(std::string("no section ") + name, Errc::NotFound, ENOENT);
	return *s;
}

} // namespace

extern "C" int vm_read_path(struct vm_obj *o, const char *sec, const char *parent,
			    struct vm_path *out)
{
	return guard([&] {
		const Section &s = section_named(o, sec);
		const Section *p = parent ? &section_named(o, parent) : nullptr;
		Snapshot snap = o->impl->state.snapshot();
		std::vector<uint64_t> parents;
		if (p)
			for (const PathStats &ps : snap.paths)
				if (has_slot(*p, ps.slot))
					parents.push_back(ps.key);
		*out = vm_path{};
		for (const PathStats &ps : snap.paths) {
			if (!has_slot(s, ps.slot))
				continue;
			bool under = p ? std::find(parents.begin(), parents.end(), ps.parent) !=
						     parents.end()
				       : ps.parent == 0;
			if (!under)
				continue;
			if (!out->n) {
				out->key = ps.key;
				out->parent = ps.parent;
				out->depth = ps.depth;
				out->min = ps.stats.ev[0].min;
			}
			out->n++;
			out->count += ps.stats.count;
			out->bad += ps.stats.bad;
			out->sum += ps.stats.ev[0].sum;
			out->min = std::min<__u64>(out->min, ps.stats.ev[0].min);
			out->max = std::max<__u64>(out->max, ps.stats.ev[0].max);
		}
	});
}

extern "C" int vm_count_paths(struct vm_obj *o, const char *sec)
{
	int n = 0;
	int ret = guard([&] {
		const Section &s = section_named(o, sec);
		for (const PathStats &ps : o->impl->state.snapshot().paths)
			n += has_slot(s, ps.slot);
	});
	return ret ? ret : n;
}

extern "C" int vm_read_health(struct vm_obj *o, struct vm_health *out)
{
	return guard([&] {
		Health h = o->impl->state.snapshot().health;
		*out = vm_health{ h.overflow, h.lost, h.unmatched };
	});
}

extern "C" int vm_map_fd(struct vm_obj *o, const char *name)
{
	int fd = o->impl->obj.map_fd(name);
	return fd < 0 ? -ENOENT : fd;
}

extern "C" int vm_config(struct vm_obj *o, __u32 *mode, __u32 *src0)
{
	return guard([&] {
		bpf_object *obj = o->impl->obj.get();
		bpf_map *map, *rodata = nullptr;
		bpf_object__for_each_map(map, obj) {
			std::string n = bpf_map__name(map);
			if (bpf_map__is_internal(map) && n.size() >= 7 &&
			    n.compare(n.size() - 7, 7, ".rodata") == 0)
				rodata = map;
		}
		btf *b = bpf_object__btf(obj);
		int sec = b ? btf__find_by_name_kind(b, ".rodata", BTF_KIND_DATASEC) : -1;
		if (!rodata || sec < 0)
			throw Error("no .rodata", Errc::NotFound, ENOENT);
		std::vector<uint8_t> data(bpf_map__value_size(rodata));
		uint32_t zero = 0;
		if (bpf_map_lookup_elem(bpf_map__fd(rodata), &zero, data.data()))
			throw Error("cannot read .rodata", Errc::System, errno);
		const btf_type *t = btf__type_by_id(b, sec);
		const btf_var_secinfo *vs = btf_var_secinfos(t);
		bool found = false;
		for (unsigned i = 0; i < btf_vlen(t); i++, vs++) {
			const char *v = btf__name_by_offset(b,
							    btf__type_by_id(b, vs->type)->name_off);
			if (!strcmp(v, "inxpect_mode") && vs->offset + 4 <= data.size()) {
				memcpy(mode, data.data() + vs->offset, 4);
				found = true;
			}
		}
		if (!found)
			throw Error("no inxpect_mode in .rodata", Errc::NotFound, ENOENT);
		std::vector<uint8_t> ctl(o->impl->obj.controls_size());
		if (ctl.size() < sizeof(inxpect_ctl) ||
		    bpf_map_lookup_elem(o->impl->obj.controls_fd(), &zero, ctl.data()))
			throw Error("cannot read the controls", Errc::System, errno);
		inxpect_ctl c;
		memcpy(&c, ctl.data(), sizeof(c));
		*src0 = c.src[0];
	});
}
