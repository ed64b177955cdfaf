"""The corpus's sources and builds: what is extracted from the tarball,
bpf_helper_defs.h and vmlinux.h, the flags each program is built with, and
the builds themselves, cached in the work directory."""
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys

import programs
from util import read, read_bytes, write

SKIP = 77
# The -bare modes keep a bare copy of each program for the runs sampling
# does not measure (-fprofile-sections-bare-copy); corpus.py runs them at
# 1 in 2, so that both copies answer.
MODES = {
    "functions": ["-fprofile-sections=functions", "-fprofile-sections-scope=all"],
    "functions-bare": ["-fprofile-sections=functions", "-fprofile-sections-scope=all",
                       "-fprofile-sections-bare-copy"],
    "basic-blocks": ["-fprofile-sections=basic-blocks", "-fprofile-sections-scope=all"],
    "basic-blocks-bare": ["-fprofile-sections=basic-blocks", "-fprofile-sections-scope=all",
                          "-fprofile-sections-bare-copy"],
}
# What every selftest includes, besides its own files.
COMMON = ["tools/lib/bpf/bpf_helpers.h", "tools/lib/bpf/bpf_endian.h",
          "tools/lib/bpf/bpf_tracing.h", "tools/lib/bpf/bpf_core_read.h",
          "include/uapi/linux/bpf.h", "scripts/bpf_doc.py", "tools/include/uapi",
          programs.PROGS + "/bpf_compiler.h", programs.PROGS + "/bpf_misc.h",
          # The selftests' empty <gnu/stubs.h>: glibc's wants a 32-bit stub
          # on a target that is not x86_64.
          programs.SELFTESTS + "/gnu/stubs.h"]


# --- setup ------------------------------------------------------------------
def members():
    out = set(COMMON)
    for p in programs.PROGRAMS:
        out.add(p.src)
        out.update(p.needs)
        if p.kernel_headers:
            out.add(programs.SAMPLES + "/asm_goto_workaround.h")
    return sorted(out)


def setup(a):
    src = os.path.join(a.work, "src")
    os.makedirs(a.work, exist_ok=True)
    reason = os.path.join(a.work, "setup-skipped")
    if not os.path.exists(a.tarball):
        return skip_setup(reason, "%s not found (apt install linux-source-6.12)" % a.tarball)
    st = os.stat(a.tarball)
    want = json.dumps([a.tarball, st.st_size, int(st.st_mtime), members()])
    stamp = os.path.join(src, ".stamp")
    if read(stamp) != want:
        shutil.rmtree(src, ignore_errors=True)
        os.makedirs(src)
        top = os.path.basename(a.tarball).split(".tar")[0]
        print("corpus: extracting %d paths from %s" % (len(members()), a.tarball), flush=True)
        subprocess.run(["tar", "-xJf", a.tarball, "-C", src, "--strip-components=1"] +
                       [top + "/" + m for m in members()], check=True)
        # libbpf's helper declarations are generated from the UAPI header,
        # as tools/lib/bpf/Makefile does.
        with open(os.path.join(src, "tools/lib/bpf/bpf_helper_defs.h"), "w") as out:
            subprocess.run([sys.executable, os.path.join(src, "scripts/bpf_doc.py"), "--header",
                            "--file", os.path.join(src, "include/uapi/linux/bpf.h")],
                           stdout=out, check=True)
        write(stamp, want)
    vmlinux(a)
    if os.path.exists(reason):
        os.unlink(reason)
    print("corpus: sources ready in %s" % src)
    return 0


def skip_setup(reason_file, why):
    write(reason_file, why)
    print("corpus: skipped: " + why)
    return SKIP


def vmlinux(a):
    """vmlinux.h from this kernel's BTF, as the selftests' Makefile does."""
    d = os.path.join(a.work, "vmlinux")
    os.makedirs(d, exist_ok=True)
    why = os.path.join(d, "missing")
    if not os.access(a.btf, os.R_OK):
        write(why, "no vmlinux.h: this kernel has no BTF to read (%s)" % a.btf)
        return
    if not os.access(a.bpftool, os.X_OK):
        write(why, "no vmlinux.h: no bpftool (apt install bpftool)")
        return
    key = "%s %d" % (read("/proc/sys/kernel/osrelease").strip(), os.path.getsize(a.btf))
    if read(os.path.join(d, ".stamp")) == key and os.path.exists(os.path.join(d, "vmlinux.h")):
        return
    with open(os.path.join(d, "vmlinux.h"), "w") as out:
        subprocess.run([a.bpftool, "btf", "dump", "file", a.btf, "format", "c"], stdout=out,
                       check=True)
    write(os.path.join(d, ".stamp"), key)
    if os.path.exists(why):
        os.unlink(why)


# --- building ---------------------------------------------------------------
def kernel_headers():
    """Debian's linux-headers-6.12 (common and amd64 halves), newest first."""
    for common in sorted(glob.glob("/usr/src/linux-headers-6.12*-common"), reverse=True):
        arch = common[:-len("-common")] + "-amd64"
        if os.path.isdir(arch):
            return common, arch
    return None


def resource_include(a):
    r = subprocess.run([a.clang, "-print-resource-dir"], stdout=subprocess.PIPE, text=True)
    return os.path.join(r.stdout.strip(), "include")


def cflags(a, p):
    src = os.path.join(a.work, "src")
    if p.kernel_headers:
        # samples/bpf/Makefile's LINUXINCLUDE and flags, -target bpf.
        common, arch = kernel_headers()
        return ["-nostdinc", "-isystem", resource_include(a),
                "-I%s/arch/x86/include" % common, "-I%s/arch/x86/include/generated" % arch,
                "-I%s/include" % common, "-I%s/include" % arch,
                "-I%s/arch/x86/include/uapi" % common,
                "-I%s/arch/x86/include/generated/uapi" % arch,
                "-I%s/include/uapi" % common, "-I%s/include/generated/uapi" % arch,
                "-include", "%s/include/linux/compiler-version.h" % common,
                "-include", "%s/include/linux/kconfig.h" % common,
                "-I" + os.path.join(src, programs.SAMPLES),
                "-I" + os.path.join(src, programs.SELFTESTS),
                "-I" + os.path.join(src, "tools/lib"),
                "-D__KERNEL__", "-D__BPF_TRACING__", "-Wno-unused-value", "-Wno-pointer-sign",
                "-D__TARGET_ARCH_x86", "-Wno-compare-distinct-pointer-types",
                "-Wno-gnu-variable-sized-type-not-at-end", "-Wno-address-of-packed-member",
                "-Wno-tautological-compare", "-Wno-unknown-warning-option",
                "-fno-asynchronous-unwind-tables",
                "-include", os.path.join(src, programs.SAMPLES, "asm_goto_workaround.h"),
                "-O2", "-g"] + p.cflags
    return ["-O2", "-g", "-mcpu=v3", "-Wall", "-Wno-compare-distinct-pointer-types",
            "-D__TARGET_ARCH_x86", "-mlittle-endian", "-DENABLE_ATOMICS_TESTS",
            "-I" + os.path.join(a.work, "vmlinux"), "-I" + os.path.join(src, "tools/lib"),
            "-I" + os.path.join(src, programs.SELFTESTS),
            "-I" + os.path.join(src, "tools/include/uapi"),
            "-idirafter", a.sys_include] + p.cflags


def tools_key(a):
    """What an object depends on besides its own command line and sources."""
    h = hashlib.sha256()
    for tool in (a.clang, a.inxpect_cc):
        path = shutil.which(tool) or tool
        if os.path.exists(path):
            st = os.stat(os.path.realpath(path))
            h.update(("%s %d %d" % (path, st.st_size, st.st_mtime_ns)).encode())
    plugin = os.path.join(os.path.dirname(os.path.dirname(a.inxpect_cc)), "clang-plugin")
    for root, _, files in sorted(os.walk(plugin)) + sorted(os.walk(a.contract or "/nonexistent")):
        for f in sorted(files):
            if f.endswith((".so", ".h")):
                h.update(read_bytes(os.path.join(root, f)))
    return h.hexdigest()


def build(a, p, mode, key):
    """Compiles one build; returns (ok, object path, diagnostics)."""
    d = os.path.join(a.work, "obj", p.name)
    os.makedirs(d, exist_ok=True)
    obj = os.path.join(d, mode + ".o")
    src = os.path.join(a.work, "src", p.src)
    cmd = ([a.clang, "-target", "bpf"] if mode == "plain" else [a.inxpect_cc] + MODES[mode])
    cmd += cflags(a, p) + ["-c", src, "-o", obj]
    stamp = key + " " + " ".join(cmd)
    if read(obj + ".key") == stamp and os.path.exists(obj):
        return True, obj, read(obj + ".log")
    if read(obj + ".key") == "failed " + stamp:
        return False, obj, read(obj + ".log")
    if os.path.exists(obj):
        os.unlink(obj)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    write(obj + ".log", r.stdout)
    if r.returncode:
        write(obj + ".key", "failed " + stamp)
        return False, obj, r.stdout
    write(obj + ".key", stamp)
    return True, obj, r.stdout
