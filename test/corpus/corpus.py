#!/usr/bin/env python3
"""The real-world corpus (programs.py): XDP programs of the kernel's
selftests, built from Debian's linux-source-6.12 tarball, plain and through
inxpect-cc, loaded and run side by side.

  corpus.py [options] list           the programs, one a line
  corpus.py [options] setup          extract what they need, bpf_helper_defs.h, vmlinux.h
  corpus.py [options] run NAME...    build, load and compare each (exit 77: skipped)
  corpus.py [options] table          the markdown table of the last runs

Each program is built plain (clang-19, the selftests' flags) and at every
mode of MODES; each build must compile, load (verifier) and give, over the
program's packet corpus, the plain build's actions, output bytes and map
contents (inxpect-xdp-run --dump-maps).  Everything lives under --work;
objects are rebuilt only when a compiler, InXpect's headers or the
program's flags change.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import programs  # noqa: E402
from report import summary, table  # noqa: E402
from sources import MODES, SKIP, build, kernel_headers, setup, tools_key  # noqa: E402
from util import last_lines, read, write  # noqa: E402


def args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--work", default="corpus-work")
    p.add_argument("--tarball", default=os.environ.get("INXPECT_LINUX_SOURCE",
                                                       "/usr/src/linux-source-6.12.tar.xz"))
    p.add_argument("--clang", default="clang-19")
    p.add_argument("--inxpect-cc", default="inxpect-cc")
    p.add_argument("--xdp-run", default="inxpect-xdp-run")
    p.add_argument("--sys-include", default="/usr/include/x86_64-linux-gnu")
    p.add_argument("--contract", default="", help="include/ of InXpect (cache key)")
    p.add_argument("--btf", default="/sys/kernel/btf/vmlinux")
    p.add_argument("--bpftool", default=shutil.which("bpftool") or "/usr/sbin/bpftool")
    p.add_argument("cmd", choices=["list", "setup", "run", "table"])
    p.add_argument("names", nargs="*")
    return p.parse_args()


def by_name():
    return {p.name: p for p in programs.PROGRAMS}


# --- running and comparing --------------------------------------------------
STATS = re.compile(r"^(\S+): insns=(\d+) xlated_insns=(\d+) verifier_processed (\d+)", re.M)


def inputs(a, p):
    d = os.path.join(a.work, "obj", p.name)
    with open(os.path.join(d, "packets.hex"), "w") as f:
        for pkt in p.packets:
            f.write(pkt.data.hex() + "\n")
    opts = []
    for m, entries in sorted(p.maps.items()):
        path = os.path.join(d, "map-%s.txt" % m)
        write(path, "".join("%s %s\n" % (k.hex(), v.hex()) for k, v in entries))
        opts += ["--map", "%s=%s" % (m, path)]
    for sec, t in sorted(p.types.items()):
        opts += ["--type", "%s=%s" % (sec, t)]
    return opts, os.path.join(d, "packets.hex")


def run_object(a, obj, opts, hexfile, mode="plain"):
    """Loads and runs one build; its output is kept next to it (.out)."""
    if mode.endswith("-bare"):
        opts = ["--sample", "2"] + opts
    cmd = [a.xdp_run, "--activate", "--stats", "--dump-maps"] + opts + [obj, hexfile]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    write(obj[:-2] + ".out", r.stdout + r.stderr)
    stats = {m.group(1): int(m.group(4)) for m in STATS.finditer(r.stderr)}
    err = r.stderr
    if r.returncode:
        # With --stats the verifier's log goes to the statistics buffers and
        # a refusal shows only libbpf's words: once more without, for the
        # verifier's.
        again = subprocess.run([a.xdp_run, "--activate"] + opts + [obj, hexfile],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        err = again.stderr or err
    return r.returncode, r.stdout, stats, err


def masked(p, out):
    """The run's lines with what derives from the clock left out."""
    lines, n = [], len(p.packets)
    runs = [ln for ln in out.splitlines() if not ln.startswith(("map ", "var "))]
    for i, ln in enumerate(runs):
        parts = ln.split(" ")
        pkt = p.packets[i % n] if n else None
        if pkt and pkt.mask and len(parts) == 3 and parts[1] != "error":
            b = bytearray.fromhex(parts[2])
            for off, ln_ in pkt.mask:
                b[off:off + ln_] = b"\xee" * len(b[off:off + ln_])
            parts[2] = b.hex()
        lines.append("%d %s" % (i % n if n else 0, " ".join(parts)))
    for ln in out.splitlines():
        if not ln.startswith("map "):
            if ln.startswith("var "):
                lines.append(ln)
            continue
        parts = ln.split(" ")
        rules = p.map_masks.get(parts[1])
        if rules and len(parts) >= 4:
            b = bytearray.fromhex(parts[-1])
            for off, size, how in rules:
                seg = b[off:off + size]
                fill = (b"\x01" if any(seg) else b"\x00") if how == "nz" else b"\xee"
                b[off:off + size] = fill * len(seg)
            parts[-1] = b.hex()
        lines.append(" ".join(parts))
    return lines


def run(a, name):
    p = by_name()[name]
    why = read(os.path.join(a.work, "setup-skipped"))
    if why or not os.path.exists(os.path.join(a.work, "src", ".stamp")):
        print("%s: skipped: %s" % (name, why or "corpus.setup has not run"))
        return SKIP
    if p.vmlinux and not os.path.exists(os.path.join(a.work, "vmlinux", "vmlinux.h")):
        print("%s: skipped: %s" % (name, read(os.path.join(a.work, "vmlinux", "missing"))))
        return SKIP
    if p.kernel_headers and not kernel_headers():
        print("%s: skipped: no kernel headers (apt install linux-headers-6.12-amd64)" % name)
        return SKIP
    key = tools_key(a)
    res = {"name": name, "why": p.why, "src": p.src, "modes": {}}
    # A sample first alone: with -target bpf the kernel's headers may not
    # compile at all (samples/bpf/Makefile compiles for the host and lowers
    # with llc), and then there is nothing to compare.
    builds = ["plain"] + list(MODES)
    done = {"plain": build(a, p, "plain", key)} if p.kernel_headers else {}
    ok, plain_obj, log = done.get("plain", (True, None, ""))
    if not ok:
        first = [ln for ln in log.splitlines() if "error:" in ln][:1]
        res["skipped"] = "not built by clang -target bpf: " + (first[0] if first else log)
        res["plain"] = {"size": 0, "processed": {}}
        write(os.path.join(a.work, "results", name + ".json"), json.dumps(res, indent=1))
        print("%s: skipped: %s" % (name, res["skipped"]))
        return SKIP
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        todo = [m for m in builds if m not in done]
        done.update(zip(todo, pool.map(lambda m: build(a, p, m, key), todo)))
    ok, plain_obj, log = done["plain"]
    if not ok:
        print("%s: the plain build does not compile:\n%s" % (name, log))
        return 1
    opts, hexfile = inputs(a, p)
    root = os.geteuid() == 0
    want = None
    if root:
        rc, out, stats, err = run_object(a, plain_obj, opts, hexfile)
        if rc:
            res["skipped"] = "the plain build does not load on this kernel: " + last_lines(err, 3)
        else:
            want = masked(p, out)
        res["plain"] = {"size": os.path.getsize(plain_obj), "processed": stats}
    else:
        res["plain"] = {"size": os.path.getsize(plain_obj), "processed": {}}
    failed = 0
    for mode in MODES:
        ok, obj, log = done[mode]
        m = {"compiled": ok, "size": os.path.getsize(obj) if ok else 0}
        res["modes"][mode] = m
        if not ok:
            m["error"] = last_lines(log, 5)
            failed += 1
            print("%s %s: does not compile:\n%s" % (name, mode, log))
            continue
        if want is None:
            continue
        rc, out, stats, err = run_object(a, obj, opts, hexfile, mode)
        m.update(loaded=rc == 0, processed=stats)
        known = p.mode_failures.get(mode, p.known_failure)
        if known:
            if rc and known in err:
                m["known"] = known
                continue
            failed += 1
            print("%s %s: expected to fail to load (\"%s\"), but: %s" % (
                name, mode, known, last_lines(err, 3) if rc else "it loads"))
            continue
        if rc:
            m["error"] = last_lines(err, 8)
            failed += 1
            print("%s %s: does not load where the plain build does:\n%s" % (name, mode, err))
            continue
        got = masked(p, out)
        m["equivalent"] = got == want
        if got != want:
            failed += 1
            print("%s %s: differs from the plain build:" % (name, mode))
            for w, g in zip(want, got):
                if w != g:
                    print("  plain:        %s\n  instrumented: %s" % (w[:160], g[:160]))
            if len(want) != len(got):
                print("  %d lines plain, %d instrumented" % (len(want), len(got)))
    write(os.path.join(a.work, "results", name + ".json"), json.dumps(res, indent=1))
    summary(res)
    if failed:
        return 1
    if not root:
        print("%s: skipped: loading and running need root (BPF_PROG_TEST_RUN)" % name)
        return SKIP
    if "skipped" in res:
        print("%s: skipped: %s" % (name, res["skipped"]))
        return SKIP
    return 0


def main():
    a = args()
    a.work = os.path.abspath(a.work)
    if a.cmd == "list":
        print("\n".join(p.name for p in programs.PROGRAMS))
        return 0
    if a.cmd == "setup":
        return setup(a)
    if a.cmd == "table":
        return table(a)
    rc = 0
    for name in a.names or [p.name for p in programs.PROGRAMS]:
        r = run(a, name)
        rc = r if rc in (0, SKIP) and r else rc
    return rc


if __name__ == "__main__":
    sys.exit(main())
