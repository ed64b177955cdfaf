#!/usr/bin/env python3
"""Writes the evaluation report (report.md and PNG plots) from inxpect-bench
output: the host run's lines and the VM lab's guest log.  Every figure in the
report is computed here from those lines; nothing is typed in.

    report.py --host HOST.jsonl --vm GUEST.log --out DIR [--machine TEXT]
    report.py --check FILE      exit 1 unless every configuration reported, 77 when none could run
"""
import argparse
import datetime
import json
import os
import sys

APPS = ["drop", "router", "cms", "nat", "tunnel"]
# Profilers whose count is compared with the truth (references excluded).
REF = ("none", "empty")
# Targets of issue 5, on Drop, kmod TSC, in the icount guest.
T_EVERY, T_S64, T_RAW, T_CAL, T_CAL_TOL, T_APP_PCT = 40, 8, 12, 2, 1, 2


def bench_lines(path):
    """The environment line and the results (by app and configuration) of a file."""
    env, res = None, {}
    for line in open(path, errors="replace"):
        if line.startswith("INXPECT-BENCH {"):
            o = json.loads(line[len("INXPECT-BENCH "):])
            if o["kind"] == "env":
                env = o
            else:
                res[(o["app"], o["config"])] = o
    return env, res


def finished(*paths):
    """When the run's data was last written: the run, not this report."""
    t = max(os.path.getmtime(p) for p in paths if p and os.path.exists(p))
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc)


def skip_reason(log):
    """Why the VM lab skipped, from its log."""
    if log and os.path.exists(log):
        for line in open(log, errors="replace"):
            if line.startswith("INXPECT-VM-SKIP "):
                return line[len("INXPECT-VM-SKIP "):].strip()
    return None


def check(path):
    env, res = bench_lines(path)
    # Without the baseline nothing here can run: BPF is closed to us.
    base = [o for (_, c), o in res.items() if c == "none" and not o["ok"]]
    if base:
        print("SKIP: the bare program cannot run here:", base[0]["reason"])
        return 77
    bad = [f"{a}/{c}: {o}" for (a, c), o in res.items()
           if (o["ok"] and ("per_packet" not in o or (c not in REF and "reported" not in o)))
           or (not o["ok"] and not o.get("reason"))]
    if env is None or not res or bad:
        print("incomplete bench output:", *bad, sep="\n  ")
        return 1
    refused = [f"{a}/{c} ({o['reason']})" for (a, c), o in res.items() if not o["ok"]]
    print(f"{len(res)} configurations reported; refused here, with reasons: {refused or 'none'}")
    return 0


def configs(res):
    seen = []
    for (_, c), o in res.items():
        if c not in seen:
            seen.append(c)
    return seen


def label(res, c):
    return next(o["label"] for (_, k), o in res.items() if k == c)


def fmt(v, d=1):
    return "n/a" if v is None else f"{v:.{d}f}"


def pp(res, app, c):
    o = res.get((app, c))
    return o["per_packet"] if o and o["ok"] else None


def cost_table(res, unit):
    apps = [a for a in APPS if (a, "none") in res]
    out = ["| profiler | " + " | ".join(apps) + " |", "|---|" + "---:|" * len(apps)]
    for c in configs(res):
        cells = []
        for a in apps:
            o, base = res[(a, c)], pp(res, a, "none")
            if not o["ok"]:
                cells.append("refused¹")
            else:
                cells.append(f"{o['per_packet']:.1f} ({o['per_packet'] / base:.2f}×, {o['per_packet'] - base:+.1f})")
        out.append(f"| {label(res, c)} | " + " | ".join(cells) + " |")
    out.append(f"\nEach cell: median {unit} per packet (ratio to no profiler, added {unit}).")
    reasons = sorted({f"{label(res, c)}: {o['reason']}" for (_, c), o in res.items() if not o["ok"]})
    if reasons:
        out.append("\n¹ Could not run here:\n")
        out += [f"- {r}" for r in reasons]
    return "\n".join(out)


def accuracy(res):
    """(app, truth, {config: result}) for every app with both references."""
    rows = []
    for a in APPS:
        bare, empty = pp(res, a, "none"), pp(res, a, "empty")
        if bare is not None and empty is not None:
            rows.append((a, bare - empty, {c: o for (x, c), o in res.items()
                                           if x == a and c not in REF and o["ok"] and "reported" in o}))
    return rows


def accuracy_table(res, rows):
    cs = [c for c in configs(res) if any(c in r[2] for r in rows)]
    out = ["| profiler | " + " | ".join(a for a, _, _ in rows) + " |", "|---|" + "---:|" * len(rows),
           "| **truth** (bare − empty) | " + " | ".join(f"**{t:.1f}**" for _, t, _ in rows) + " |"]
    for c in cs:
        cells = []
        for _, t, got in rows:
            o = got.get(c)
            if o is None:
                cells.append("n/a")
            elif "calibrated" in o:
                cells.append(f"{o['reported']:.1f} → {o['calibrated']:.1f} ({err(o['calibrated'], t)})")
            else:
                cells.append(f"{o['reported']:.1f} ({err(o['reported'], t)})")
        unit = next(o["unit"] for _, _, got in rows for k, o in got.items() if k == c)
        out.append(f"| {label(res, c)} [{unit}] | " + " | ".join(cells) + " |")
    out.append("\nTruth: instructions per packet of the bare app minus those of the empty program "
               "(test-run durations in the icount guest, same run).  Cells: the mean count the profiler "
               "reports per measured execution for the app's outermost section (InXpect: raw → calibrated "
               "by the runtime's own calibration, as `inxpect run` reports it) or for the whole program "
               "(fentry/fexit, bpf_stats: no calibration), and in parentheses its error against the truth.  "
               "TSC counts are instructions; ktime, cpu-clock and bpf_stats count ns, which are instructions "
               "in this guest (1 GHz TSC clocksource).")
    missing = sorted({c for _, _, got in rows for c, o in got.items() if c.startswith("ix-") and "calibrated" not in o})
    if missing:
        out.append("\nTODO: no calibrated figure for " + ", ".join(missing) + " (the runtime's calibration "
                   "did not run; see the bench output).")
    return "\n".join(out)


def err(v, t):
    return f"{v - t:+.1f}" if not t else f"{(v - t) / t * 100:+.1f}%"


def targets(res, rows):
    none, every, s64 = pp(res, "drop", "none"), pp(res, "drop", "ix-kmod"), pp(res, "drop", "ix-s64")
    o = res.get(("drop", "ix-kmod")) or {}
    raw, cal = o.get("reported"), o.get("calibrated")
    out = ["| target | measured | verdict |", "|---|---:|---|"]

    def row(name, value, ok, why):
        if value is None:
            out.append(f"| {name} | n/a | not measured: {why} |")
        else:
            out.append(f"| {name} | {value:.2f} | {'met' if ok else 'missed: ' + why} |")

    s256 = pp(res, "drop", "ix-s256")
    added = every - none if every is not None and none is not None else None
    inside = (f"{raw:.0f} of the {added:.0f} lie between the section's two counter reads (the raw Drop body) "
              f"and {added - raw:.0f} outside them, in START before its read and END after its read"
              if raw is not None and added is not None else "")
    row(f"every packet: instructions added per packet ≤ {T_EVERY}", added,
        added is not None and added <= T_EVERY, inside)
    row(f"sampled 1/64: instructions added per packet ≤ {T_S64}", s64 - none if s64 and none else None,
        s64 is not None and s64 - none <= T_S64,
        "the START/END of a packet that is not measured still run their checks; 1/256 adds "
        f"{fmt(s256 - none if s256 and none else None)}, so the floor is there, not in the sampled reads")
    row(f"raw reported count for Drop's body ≤ {T_RAW}", raw, raw is not None and raw <= T_RAW,
        f"Drop's body is {drop_truth(rows)} instructions, so all {fmt(raw, 0)} are the fixed cost between the "
        "two reads (what calibration subtracts)")
    row(f"calibrated Drop body {T_CAL} ± {T_CAL_TOL}", cal, cal is not None and abs(cal - T_CAL) <= T_CAL_TOL,
        f"the measured true cost of Drop's body is {drop_truth(rows)} instructions (bare Drop and the empty "
        "program execute as many), and the calibrated figure matches that truth, not the 2 BPF instructions "
        "the target assumes" if cal is not None else "no calibrated figure")
    cals = [(abs(err_pct(g["ix-kmod"]["calibrated"], t)), a) for a, t, g in rows
            if "calibrated" in g.get("ix-kmod", {})]
    if cals:
        worst = max(cals)
        row(f"every app calibrated within ±{T_APP_PCT}% of its true count (worst, %)", worst[0],
            worst[0] <= T_APP_PCT, f"{worst[1]} is off by {worst[0]:.1f}%")
    else:
        row(f"every app calibrated within ±{T_APP_PCT}% of its true count", None, False, "no calibrated figures")
    return "\n".join(out)


def drop_truth(rows):
    return next((f"{t:.1f}" for a, t, _ in rows if a == "drop"), "n/a")


def err_pct(v, t):
    return (v - t) / t * 100 if t else (0.0 if v == t else float("inf"))


def plots(out, host, vm, rows):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    for name, (env, res), ylabel in (("cost-vm.png", vm, "instructions per packet (icount guest)"),
                                     ("cost-host.png", host, "ratio to no profiler (host, ns)")):
        if not res:
            continue
        apps = [a for a in APPS if (a, "none") in res]
        cs = [c for c in configs(res) if c != "empty"]
        fig, ax = plt.subplots(figsize=(12, 5))
        w = 0.8 / len(cs)
        for i, c in enumerate(cs):
            ys = [(pp(res, a, c) or 0) / (1 if name == "cost-vm.png" else pp(res, a, "none")) for a in apps]
            ax.bar([x + i * w for x in range(len(apps))], ys, w, label=label(res, c))
        ax.set_xticks([x + 0.4 - w / 2 for x in range(len(apps))], apps)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=7, ncol=2)
        ax.set_title("Per-packet cost of each profiler, " + env["kernel"])
        fig.tight_layout()
        fig.savefig(os.path.join(out, name), dpi=110)
        files.append(name)
    if rows:
        _, res = vm
        # One panel per app: the truth, then each every-packet profiler's
        # count (InXpect raw and calibrated side by side).
        cs = [c for c in configs(res) if c not in REF and not c.startswith("ix-s")]
        fig, axes = plt.subplots(1, len(rows), figsize=(3.2 * len(rows), 6.5), squeeze=False)
        for ax, (app, truth, got) in zip(axes[0], rows):
            names, vals, colors = ["truth"], [truth], ["k"]
            for c in cs:
                if c in got:
                    names.append(label(res, c) + " (raw)" if "calibrated" in got[c] else label(res, c))
                    vals.append(got[c]["reported"])
                    colors.append("tab:red" if "calibrated" in got[c] else "tab:gray")
                    if "calibrated" in got[c]:
                        names.append(label(res, c) + " (calibrated)")
                        vals.append(got[c]["calibrated"])
                        colors.append("tab:green")
            ax.bar(range(len(vals)), vals, color=colors)
            ax.set_xticks(range(len(vals)), names, rotation=90, fontsize=7)
            ax.set_title(f"{app}: true {truth:.0f}")
        axes[0][0].set_ylabel("count per execution (instructions, icount guest)")
        fig.tight_layout()
        fig.savefig(os.path.join(out, "accuracy.png"), dpi=110)
        files.append("accuracy.png")
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for a in APPS:
            pts = [(n, pp(res, a, k) - pp(res, a, "none")) for n, k in ((1, "ix-kmod"), (16, "ix-s16"),
                                                                       (64, "ix-s64"), (256, "ix-s256"))
                   if pp(res, a, k) is not None]
            if pts:
                ax.plot(*zip(*pts), marker="o", label=a)
        ax.set_xscale("log", base=2)
        ax.set_xticks([1, 16, 64, 256], ["every", "1/16", "1/64", "1/256"])
        ax.set_xlabel("InXpect kmod TSC: packets measured")
        ax.set_ylabel("instructions added per packet (icount guest)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, "sampling.png"), dpi=110)
        files.append("sampling.png")
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check")
    ap.add_argument("--host")
    ap.add_argument("--vm")
    ap.add_argument("--out")
    ap.add_argument("--machine", default="")
    a = ap.parse_args()
    if a.check:
        return check(a.check)
    os.makedirs(a.out, exist_ok=True)
    host = bench_lines(a.host) if a.host and os.path.exists(a.host) else (None, {})
    vm = bench_lines(a.vm) if a.vm and os.path.exists(a.vm) else (None, {})
    vres = vm[1]
    rows = accuracy(vres)
    md = ["# InXpect evaluation\n",
          f"Run finished {finished(a.host, a.vm):%Y-%m-%d %H:%M} UTC on {a.machine}.\n"]
    for name, (env, _) in (("Host", host), ("VM (QEMU TCG, -icount shift=0)", vm)):
        if env:
            md.append(f"- {name}: Linux {env['kernel']}, {env['cpus']} CPU(s) online, PMU: "
                      f"{'yes' if env['pmu'] else 'no'}, module: {env['kmod']}; {env['packets']} packets "
                      f"× {env['repeat']} runs per round, {env['rounds']} interleaved rounds, medians.")
            if env.get("bpf_stats_already_on"):
                md.append(f"  **Warning**: kernel.bpf_stats_enabled was already 1 on the {name}, so every "
                          "configuration paid for bpf_stats; its figures there are not comparable.")
        else:
            md.append(f"- {name}: no results ({skip_reason(a.vm) or 'that part did not run'}; "
                      "see bench/run.sh's output).")
    md.append("\n## Targets (Drop, one section around the body, kmod TSC, icount guest)\n")
    md.append(targets(vres, rows) if vres else "Not measured: the VM part did not run "
              f"({skip_reason(a.vm) or 'see bench/run.sh output'}), and every target is measured there.")
    if vres:
        md += ["\n## Cost in the VM: guest instructions per packet\n", cost_table(vres, "instructions")]
    if host[1]:
        md += ["\n## Cost on the host: ns per packet (BPF_PROG_TEST_RUN)\n", cost_table(host[1], "ns")]
    if rows:
        md += ["\n## Accuracy in the VM: reported vs true count\n", accuracy_table(vres, rows)]
    files = plots(a.out, host, vm, rows)
    md.append("\n## Plots\n")
    md += [f"![{f}]({f})" for f in files]
    with open(os.path.join(a.out, "report.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print(os.path.join(a.out, "report.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
