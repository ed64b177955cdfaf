// Opening a file whose contents the kernel will run (a module): only one
// that root owns and nobody else can change, neither the file nor any
// directory above it.  Otherwise whoever can write there chooses the code
// the kernel loads.
#pragma once

#include <string>

#include "libinxpect/fd.h"

namespace inxpect {

// Opens `path` read-only after resolving its symbolic links, once it is
// sure that the file is a regular file owned by root and writable by no
// group or other user, and that every directory from / down to it is
// owned by root and writable by no group or other user.  `resolved` gets
// the path without links.  Throws Error (Errc::NoPermission) naming the
// file or directory that fails, or the system error.
Fd open_trusted_file(const std::string& path, std::string* resolved = nullptr);

}  // namespace inxpect
