"""inxpect top under a pseudo-terminal: sends keys, reads the screens, and
checks that the terminal settings it found are back after each way out
(q, SIGTERM, Ctrl-C).  Prints one line per check for FileCheck.

    top_pty.py INXPECT NAME   (at least two programs named NAME are running)
"""
import fcntl
import os
import re
import signal
import subprocess
import sys
import termios
import threading
import time

inxpect, name = sys.argv[1:3]
CLEAR = "\x1b[H\x1b[2J"


class Top:
    def __init__(self, *extra):
        self.master, self.slave = os.openpty()
        self.before = termios.tcgetattr(self.slave)
        self.out = b""

        def controlling_tty():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(
            [inxpect, "top", "--name", name, "--sort", "id", "--interval", "0.3", *extra],
            stdin=self.slave, stdout=self.slave, stderr=self.slave,
            start_new_session=True, preexec_fn=controlling_tty)
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.out += data

    def text(self):
        return self.out.decode("utf-8", "replace")

    def screen(self):
        return self.text().split(CLEAR)[-1]

    def wait(self, pattern, timeout=10):
        """The latest screen once it matches `pattern`, or it as it is then."""
        end = time.time() + timeout
        while time.time() < end:
            if re.search(pattern, self.screen(), re.M):
                break
            time.sleep(0.05)
        return self.screen()

    def key(self, keys, pattern):
        os.write(self.master, keys.encode())
        return self.wait(pattern)

    def finish(self, how):
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "hung"
        time.sleep(0.1)
        after = termios.tcgetattr(self.slave)
        restored = after == self.before and self.text().endswith("\x1b[?25h\x1b[?1049l")
        print("%s: exit=%s restored=%s" % (how, rc, restored))
        os.close(self.slave)


def selected(screen):
    m = re.search(r"\x1b\[7m(\d+)", screen)
    return int(m.group(1)) if m else None


def program_ids(screen):
    return [int(m) for m in re.findall(r"^(?:\x1b\[7m)?(\d+) ", screen, re.M)]


top = Top()
s = top.wait(r"XDP program\(s\)")
ids = program_ids(s)
print("table: programs>=2=%s sorted=%s first_selected=%s raw=%s" % (
    len(ids) >= 2, ids == sorted(ids), selected(s) == ids[0],
    termios.tcgetattr(top.slave)[3] & termios.ICANON == 0))
s = top.key("j", r"\x1b\[7m%d " % ids[1])
print("down: selected=second %s" % (selected(s) == ids[1]))
s = top.key("\x1b[B\x1b[A", r"\x1b\[7m%d " % ids[1])
print("arrows: selected=second %s" % (selected(s) == ids[1]))
s = top.key("k", r"\x1b\[7m%d " % ids[0])
print("up: selected=first %s" % (selected(s) == ids[0]))
s = top.key("s", r"sort: ")
print("sort: mode=%s id_marked=%s" % ("sort: (" in s, "ID ^" in s))
s = top.key("\x1b[C", r"PROGRAM / SECTION \^")
print("sort right: name_marked=%s" % ("PROGRAM / SECTION ^" in s))
s = top.key("\x1b[B", r"PROGRAM / SECTION v")
print("sort down: descending=%s" % ("PROGRAM / SECTION v" in s))
s = top.key("\x7f\x1b", r"\(q\) quit")
print("sort back: id_marked=%s" % ("ID ^" in s))
s = top.key("fzzz", r"filter: zzz_")
print("filter typing: %s" % ("filter: zzz_" in s))
s = top.key("\r", r"filter: zzz \|")
print("filter zzz: programs=%d footer=%s" % (len(program_ids(s)), "filter: zzz |" in s))
s = top.key("/\x7f\x7f\x7f(", r"not yet a regex")
print("filter half typed: %s" % ("not yet a regex" in s))
s = top.key("\x7f^DROP$\r", r"filter: \^DROP\$ \|")
print("filter ^DROP$: programs>=2=%s sections=%s" % (
    len(program_ids(s)) >= 2, sorted(set(re.findall(r"^ +(\w+) ", s, re.M)))))
s = top.key("/\x7f\x7f\x7f\x7f\x7f\x7f\r", r"^\(q\) quit")
s = top.key("\r", r"runs/s  ")
print("detail: program=%s sparkline=%s" % (
    ("program %d %s" % (ids[0], name)) in s, bool(re.search("runs/s  [▁-█]+", s))))
s = top.key("\x1b", r"XDP program\(s\)")
print("detail back: table=%s" % ("XDP program(s)" in s))
s = top.key("p", r"PAUSED")
title = re.search(r"interval [0-9.]+ s", s).group(0)
time.sleep(1)
s = top.screen()
print("paused: footer=%s frozen=%s" % ("PAUSED" in s, title in s))
s = top.key("p", r"^\(q\) quit")
print("resumed: %s" % ("PAUSED" not in s))
os.write(top.master, b"q")
top.finish("q")

top = Top()
top.wait(r"XDP program\(s\)")
top.proc.send_signal(signal.SIGTERM)
top.finish("SIGTERM")

top = Top()
top.wait(r"XDP program\(s\)")
os.write(top.master, b"\x03")  # the terminal's interrupt character: SIGINT
top.finish("Ctrl-C")

top = Top("--count", "2")
top.finish("--count 2")
