// inxpect.ko as the kernel sees it, for the lease and the kmod commands
// (kmod.h): which load of it is there, loading a trusted file, unloading,
// its references, the kernel's taint.
#pragma once

#include <string>

namespace inxpect {

// The module's address in /proc/modules: what tells one load of it from
// another.  Empty when it is not loaded.
std::string module_identity();
// Loads the module from `path` (installed_kmod_path() when empty), once
// open_trusted_file() accepts it and it was built for this kernel.  True
// when it was loaded now, false when it already was.  Throws Error.
bool insert_module(const std::string& path);
// Unloads the module, retrying while the programs that held its kfuncs
// are freed.  0, or the last errno.
int remove_module();
// The kernel's reference count of the module, -1 when not loaded.
int module_refcount();
// /proc/sys/kernel/tainted.
unsigned long kernel_taint();
// A small file whole ("" when unreadable).
std::string read_small(const std::string& path);

}  // namespace inxpect
