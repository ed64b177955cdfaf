"""What the corpus reports: a summary line per build, and the markdown
table of program x mode (docs/instrumentation.md, "Real-world corpus")."""
import json
import os

import programs
from sources import MODES
from util import read


def summary(res):
    plain = res["plain"]
    for mode, m in res["modes"].items():
        print("%s %-20s compiled=%s loaded=%s%s equivalent=%s processed %s -> %s  size %d -> %d" % (
            res["name"], mode, m["compiled"], m.get("loaded", "-"),
            " (known: %s)" % m["known"] if m.get("known") else "", m.get("equivalent", "-"),
            sum(plain["processed"].values()), sum(m.get("processed", {}).values()),
            plain["size"], m["size"]))


# --- the table ---------------------------------------------------------------
def table(a):
    """One row a program: the plain build's verifier-processed instructions
    (all its programs) and object bytes, then per mode whether it compiled,
    loaded and was equivalent (C L E), and the same two figures."""
    modes = list(MODES)
    rows = ["| program | plain: processed insns, object bytes | " + " | ".join(modes) + " |",
            "|---|---:|" + "---:|" * len(modes)]
    notes = []
    for p in programs.PROGRAMS:
        res = json.loads(read(os.path.join(a.work, "results", p.name + ".json")) or "null")
        if not res:
            rows.append("| `%s` | not run |%s" % (p.name, " |" * len(modes)))
            continue
        mark = ""
        if res.get("skipped") or p.known_failure or p.mode_failures:
            notes.append((p.name, res.get("skipped") or "; ".join(
                ["instrumented builds do not load: \"%s\"" % p.known_failure] if p.known_failure
                else ["%s does not load: \"%s\"" % kv for kv in sorted(p.mode_failures.items())])))
            mark = " [%d]" % len(notes)
        plain = res["plain"]
        if not res["modes"]:
            rows.append("| `%s`%s | not built |%s" % (p.name, mark, " – |" * len(modes)))
            continue
        cells = []
        for mode in modes:
            m = res["modes"].get(mode, {})
            cle = "".join(flag(v) for v in (m.get("compiled"), m.get("loaded"),
                                             m.get("equivalent")))
            fig = "%s, %s" % (fmt(sum(m.get("processed", {}).values())) if m.get("loaded")
                              else "–", fmt(m.get("size", 0)))
            cells.append("%s %s" % (cle, fig))
        rows.append("| `%s`%s | %s, %s | %s |" % (
            p.name, mark, fmt(sum(plain["processed"].values())) if plain["processed"] else "–",
            fmt(plain["size"]), " | ".join(cells)))
    print("\n".join(rows))
    print("\nC L E: compiled, loaded, equivalent (✓ yes, ✗ no, · not tried).")
    for i, (name, why) in enumerate(notes, 1):
        print("\n[%d] `%s`: %s" % (i, name, tidy(a, why)))
    return 0


def flag(v):
    return {True: "✓", False: "✗"}.get(v, "·")


def tidy(a, text):
    """A reason on one line, without this build tree's paths."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if "failed to load object" not in ln] or lines
    return " / ".join(lines).replace(os.path.join(a.work, "obj") + "/", "")


def fmt(n):
    return "{:,}".format(n)
