// SPDX-License-Identifier: GPL-2.0
// The VM tests' C interface over the runtime's loader, controls and state
// reader: the guest runs what `inxpect` runs.
#include "loader.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <memory>
#include <string>

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

extern "C" int vm_read_section(struct vm_obj *o, int id, struct vm_section *out)
{
	return guard([&] {
		SectionStats s = section_total(o->impl->state.snapshot(),
					       o->impl->obj.sections().sections().at(static_cast<uint32_t>(id)), 1);
		*out = vm_section{ s.count, s.bad, s.ev[0].sum, s.ev[0].min, s.ev[0].max };
	});
}

extern "C" int vm_reset_sections(struct vm_obj *o)
{
	return guard([&] { o->impl->state.reset(); });
}
