#!/usr/bin/env python3
"""interrupt.py INXPECT_CC SOURCE TMPDIR: for SIGINT, SIGTERM and SIGHUP,
starts inxpect-cc -fprofile-sections on SOURCE (which waits on standard
input), sends it the signal once its private copy exists, and prints
whether a copy was made, whether any is left afterwards, and how
inxpect-cc ended."""
import os
import signal
import subprocess
import sys
import time

cc, src, tmp = sys.argv[1:4]
for name in ("SIGINT", "SIGTERM", "SIGHUP"):
    sig = getattr(signal, name)
    os.makedirs(tmp, exist_ok=True)
    env = dict(os.environ, TMPDIR=tmp)
    p = subprocess.Popen([cc, "-fprofile-sections", "-c", src, "-o", os.path.join(tmp, "x.o")],
                         stdin=subprocess.PIPE, env=env)
    made = False
    for _ in range(600):
        if os.listdir(tmp):
            made = True
            break
        time.sleep(0.05)
    time.sleep(0.3)  # clang is running and blocked on standard input
    p.send_signal(sig)
    try:
        rc = p.wait(timeout=60)
    finally:
        p.stdin.close()
    left = sorted(os.listdir(tmp))
    print("%s: copy made %s, left %s, killed by it %s"
          % (name, made, left, rc == -sig))
