#!/usr/bin/env python3
"""check_equiv.py CLANG_BPF INXPECT_CC XDP_RUN PACKETS OUTDIR SRC...

For each SRC: builds it plain and through inxpect-cc at every granularity
(scope all), runs each object over PACKETS with sections inactive and
active, and fails unless every run prints what the plain build printed.
CLANG_BPF and INXPECT_CC are command lines, each as one argument."""
import os
import shlex
import subprocess
import sys

GRANULARITIES = ["functions", "blocks", "basic-blocks", "functions,blocks,basic-blocks"]


def run(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout


clang, cc, xdp_run, packets, outdir = sys.argv[1:6]
failed = 0
for src in sys.argv[6:]:
    name = os.path.splitext(os.path.basename(src))[0]
    plain = os.path.join(outdir, name + ".plain.o")
    run(shlex.split(clang) + ["-c", src, "-o", plain])
    want = run([xdp_run, plain, packets])
    for g in GRANULARITIES:
        obj = os.path.join(outdir, "%s.%s.o" % (name, g.replace(",", "+")))
        run(shlex.split(cc) + ["-O2", "-g", "-fprofile-sections=" + g, "-fprofile-sections-scope=all",
             "-c", src, "-o", obj])
        for extra in ([], ["--activate"]):
            same = run([xdp_run] + extra + [obj, packets]) == want
            print("%s %s%s: %s" % (name, g, " active" if extra else "", "same" if same else "DIFFERENT"))
            failed += not same
sys.exit(1 if failed else 0)
