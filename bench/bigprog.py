#!/usr/bin/env python3
"""The bench's production-size program: the kernel selftests' Katran-derived
balancer, test_xdp_noinline.c, built bare (clang, -fno-inline as its
selftest builds it) and by inxpect-cc in basic-block mode over all functions,
with its selftest's maps and the corpus's packets (test/corpus, which
extracts the source from linux-source-6.12 at test time and shares its work
directory with this).  Writes to OUT:

    big.bare.o big.o    the two builds
    big.pcap            its IPv4 packets, in the corpus's order
    big.prog            the program measured: balancer_ingress_v4
    big.maps            "MAP FILE" a line: the map fills, files beside it
or, when any of it cannot be made, OUT/reason: one line saying why.

    bigprog.py --build BUILD_DIR --out OUT
"""
import argparse
import os
import shutil
import struct
import sys
import types

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "test", "corpus"))
import programs  # noqa: E402
import sources  # noqa: E402

NAME, MODE = "test_xdp_noinline", "basic-blocks-bare"


def pcap(path, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for p in packets:
            f.write(struct.pack("<IIII", 0, 0, len(p.data), len(p.data)) + p.data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    o = ap.parse_args()
    os.makedirs(o.out, exist_ok=True)
    reason = os.path.join(o.out, "reason")
    if os.path.exists(reason):
        os.unlink(reason)

    def fail(why):
        with open(reason, "w") as f:
            f.write(why.strip().splitlines()[0] + "\n")
        print("bigprog: " + why.strip().splitlines()[0])
        return 0

    cc = os.path.join(o.build, "driver", "inxpect-cc")
    if not os.path.exists(cc):
        return fail("inxpect-cc not built (INXPECT_BUILD_PLUGIN=OFF?)")
    # What test/corpus/CMakeLists.txt passes corpus.py, the same work
    # directory, so the extraction and builds are cached for both.
    a = types.SimpleNamespace(
        work=os.path.join(o.build, "test", "corpus"),
        tarball=os.environ.get("INXPECT_LINUX_SOURCE", "/usr/src/linux-source-6.12.tar.xz"),
        clang=shutil.which("clang-19") or "clang", inxpect_cc=cc,
        sys_include="/usr/include/x86_64-linux-gnu",
        contract=os.path.join(here, "..", "include"), btf="/sys/kernel/btf/vmlinux",
        bpftool=shutil.which("bpftool") or "/usr/sbin/bpftool")
    if sources.setup(a) != 0:
        return fail(sources.read(os.path.join(a.work, "setup-skipped")) or "corpus setup failed")
    p = next(x for x in programs.PROGRAMS if x.name == NAME)
    key = sources.tools_key(a)
    for mode, dest in (("plain", "big.bare.o"), (MODE, "big.o")):
        ok, obj, log = sources.build(a, p, mode, key)
        if not ok:
            return fail("%s %s build failed: %s" % (NAME, mode, log))
        shutil.copyfile(obj, os.path.join(o.out, dest))
    # The IPv4 entry point and the corpus's IPv4 packets: the IPv6 one is
    # the same balancer behind another header parse.
    pcap(os.path.join(o.out, "big.pcap"), [x for x in p.packets if x.data[12:14] == b"\x08\x00"])
    with open(os.path.join(o.out, "big.prog"), "w") as f:
        f.write("balancer_ingress_v4\n")
    with open(os.path.join(o.out, "big.maps"), "w") as f:
        for m, entries in sorted(p.maps.items()):
            name = "big-map-%s.txt" % m
            with open(os.path.join(o.out, name), "w") as mf:
                mf.write("".join("%s %s\n" % (k.hex(), v.hex()) for k, v in entries))
            f.write("%s %s\n" % (m, name))
    print("bigprog: %s bare and %s in %s" % (NAME, MODE, o.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
