#!/usr/bin/env python3
"""Writes the evaluation report (report.md and PNG plots) from inxpect-bench
output: the host run's lines and the VM lab's guest log.  Every figure in the
report is computed here from those lines; nothing is typed in.

    report.py --host HOST.jsonl --vm GUEST.log --out DIR [--machine TEXT] [--big-reason FILE]
    report.py --check FILE      exit 1 unless every configuration reported, 77 when none could run
"""
import argparse
import datetime
import json
import os
import sys

EXAMPLES = ["drop", "router", "cms", "nat", "tunnel"]
# The examples, Router under periodic traffic, the production-size balancer.
APPS = EXAMPLES + ["router-periodic", "balancer"]
# Profilers whose count is compared with the truth (references excluded).
REF = ("none", "empty", "ktime-ref")


def bench_lines(path):
    """The environment line and the results (by app and configuration) of a file."""
    env, res = None, {}
    for line in open(path, errors="replace"):
        if line.startswith("INXPECT-BENCH {"):
            o = json.loads(line[len("INXPECT-BENCH "):])
            if o["kind"] == "env":
                env = o
            elif o["kind"] == "result":
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
    """None stays None: a row with no figure says "not measured"."""
    return None if v is None else f"{v:.{d}f}"


def pp(res, app, c):
    o = res.get((app, c))
    return o["per_packet"] if o and o["ok"] else None


def cost_table(res, unit):
    apps = [a for a in APPS if (a, "none") in res]
    out = ["| profiler | " + " | ".join(apps) + " |", "|---|" + "---:|" * len(apps)]
    for c in configs(res):
        cells = []
        for a in apps:
            o, base = res.get((a, c)), pp(res, a, "none")
            if o is None:
                cells.append("—")
            elif not o["ok"]:
                cells.append("refused¹")
            else:
                cells.append(f"{o['per_packet']:.1f} ({o['per_packet'] / base:.2f}×, {o['per_packet'] - base:+.1f})")
        out.append(f"| {label(res, c)} | " + " | ".join(cells) + " |")
    out.append(f"\nEach cell: median {unit} per packet (ratio to no profiler, added {unit}); "
               "—: not a configuration of that app.")
    reasons = sorted({f"{label(res, c)}: {o['reason']}" for (_, c), o in res.items() if not o["ok"]})
    if reasons:
        out.append("\n¹ Could not run here:\n")
        out += [f"- {r}" for r in reasons]
    return "\n".join(out)


def accuracy(res):
    """(app, truth, {config: result}) for every app with both references."""
    rows = []
    for a in EXAMPLES:
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


def calibrations(path):
    """The calibration repeats of a file: {(app, config): line}."""
    out = {}
    if path and os.path.exists(path):
        for line in open(path, errors="replace"):
            if line.startswith("INXPECT-BENCH {") and '"kind":"calibration"' in line:
                o = json.loads(line[len("INXPECT-BENCH "):])
                out[(o["app"], o["config"])] = o
    return out


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def figure(o):
    """What a configuration reports for the outermost section: calibrated when it can."""
    return o.get("calibrated", o.get("reported")) if o and o.get("ok") else None


class Targets:
    """The targets table of issue 15: one row per target, met or missed with
    the measured figure, or not measured with the reason."""

    def __init__(self):
        self.out = ["| target | measured | verdict |", "|---|---:|---|"]

    def row(self, name, value, ok, target, note=""):
        """value: the measured figure as text (None: not measured, note says why)."""
        if value is None:
            self.out.append(f"| {name} | n/a | not measured: {note} |")
            return
        verdict = "met" if ok else f"missed (measured {value}, target {target})"
        if ok is None:
            verdict = "reported (no target)"
        self.out.append(f"| {name} | {value} | {verdict}{'; ' + note if note else ''} |")

    def text(self):
        return "\n".join(self.out)


def why_missing(res, app, cfg, fallback):
    o = res.get((app, cfg))
    return o["reason"] if o and not o["ok"] else fallback


def added(res, app, cfg):
    a, b = pp(res, app, cfg), pp(res, app, "none")
    return a - b if a is not None and b is not None else None


def ratio(res, app, cfg, ref="none"):
    a, b = pp(res, app, cfg), pp(res, app, ref)
    return a / b if a is not None and b else None


def targets(vres, hres, rows, vcal, hcal, big_reason):
    t = Targets()
    novm = "the VM part did not run"
    # Drop, one section, kmod TSC, in the icount guest.
    for cfg, what in (("ix-kmod", "every packet, histograms and paths on"),
                      ("ix-lean", "every packet, lean: count, sum, min and max only")):
        v = added(vres, "drop", cfg)
        t.row(f"Drop, {what}: instructions added per packet ≤ 32", fmt(v), v is not None and v <= 32,
              "≤ 32", "" if v is not None else why_missing(vres, "drop", cfg, novm))
    for n in (64, 256):
        v = added(vres, "drop", f"ix-s{n}")
        t.row(f"Drop, sampled 1/{n}: instructions added per packet ≤ 16", fmt(v), v is not None and v <= 16,
              "≤ 16", "" if v is not None else why_missing(vres, "drop", f"ix-s{n}", novm))
    for cfg, what in (("ix-kmod", "histograms and paths on"), ("ix-lean", "lean")):
        raw = (vres.get(("drop", cfg)) or {}).get("reported")
        t.row(f"Drop, raw reported count ≤ 12 ({what})", fmt(raw), raw is not None and raw <= 12,
              "≤ 12", "" if raw is not None else why_missing(vres, "drop", cfg, novm))
    # What histograms and call paths each cost, per measured section
    # execution: Drop (one section), then the worst app (nesting is where
    # call paths are kept).
    for part, (cfg, less), limit in (("histogram update", ("ix-kmod", "ix-nohist"), 25),
                                      ("call paths and the depth stack", ("ix-nohist", "ix-lean"), None)):
        per = {}
        for a in EXAMPLES:
            x, y = pp(vres, a, cfg), pp(vres, a, less)
            n = (vres.get((a, cfg)) or {}).get("executions_per_run")
            if x is not None and y is not None and n:
                per[a] = (x - y) / n
        name = f"{part} per measured execution" + (f" ≤ {limit}" if limit else "")
        for apps, what in ((["drop"], "Drop"), (EXAMPLES, "worst app")):
            got = max(((per[a], a) for a in apps if a in per), default=None)
            t.row(f"{name} ({what})", f"{got[0]:.1f} ({got[1]})" if got else None,
                  None if limit is None else got and got[0] <= limit, f"≤ {limit}",
                  f"{cfg} less {less}, per section executed" if got
                  else why_missing(vres, "drop", less, novm))
    # The four-section apps, sampled 1/64, against bare, in the guest.
    worst = max(((ratio(vres, a, "ix-s64"), a) for a in EXAMPLES[1:] if ratio(vres, a, "ix-s64")),
                default=None)
    t.row("four-section apps, sampled 1/64: ≤ 1.05× bare, guest instructions (worst app)",
          f"{worst[0]:.3f}× ({worst[1]})" if worst else None, worst and worst[0] <= 1.05, "≤ 1.05×",
          "" if worst else novm)
    # ktime every packet on the host, against the two-ktime reference: Drop
    # (one section, like for like), then the worst app (the four-section
    # apps read the clock eight times a packet).
    for apps, what in ((["drop"], "Drop"), (EXAMPLES, "worst app")):
        worst = max(((ratio(hres, a, "ix-ktime", "ktime-ref"), a) for a in apps
                     if ratio(hres, a, "ix-ktime", "ktime-ref")), default=None)
        t.row(f"host, ktime every packet: ≤ 1.1× two bpf_ktime_get_ns around the bare body ({what})",
              f"{worst[0]:.2f}× ({worst[1]})" if worst else None, worst and worst[0] <= 1.1, "≤ 1.1×",
              "" if worst else why_missing(hres, "drop", "ktime-ref", "the host part did not run"))
    # The balancer, basic blocks of all functions.
    def big(res, cfg, name, limit, where):
        r = ratio(res, "balancer", cfg)
        note = ""
        if r is None:
            note = (why_missing(res, "balancer", cfg, "") or why_missing(res, "balancer", "none", "")
                    or big_reason or f"the {where} part did not run")
        t.row(name, f"{r:.2f}×" if r is not None else None,
              None if limit is None else r is not None and r <= limit,
              f"≤ {limit}×" if limit else "", note)
    big(hres, "ix-s64", "balancer, sampled 1/64: ≤ 1.15× bare, host ns", 1.15, "host")
    big(vres, "ix-s64", "balancer, sampled 1/64: ≤ 1.15× bare, guest instructions", 1.15, "VM")
    big(vres, "ix-kmod", "balancer, every packet, kmod TSC: ≤ 4× bare, guest instructions", 4, "VM")
    big(vres, "ix-lean", "balancer, every packet, kmod TSC, lean: ≤ 4× bare, guest instructions", 4,
        "VM")
    big(hres, "ix-ktime", "balancer, every packet, ktime: × bare, host ns", None, "host")
    # Accuracy, in the guest.
    cal = [(abs(err_pct(g["ix-kmod"]["calibrated"], tr)), a) for a, tr, g in rows
           if tr > 0 and "calibrated" in g.get("ix-kmod", {})]
    worst = max(cal, default=None)
    t.row("every app calibrated within ±1% of its true count (worst app)",
          f"{worst[0]:.2f}% ({worst[1]})" if worst else None, worst and worst[0] <= 1, "±1%",
          "" if worst else "no calibrated figures")
    c = (vres.get(("drop", "ix-kmod")) or {}).get("calibrated")
    t.row("Drop calibrated 0 ± 1", fmt(c), c is not None and abs(c) <= 1, "0 ± 1",
          "" if c is not None else "no calibrated figure")
    # One row per rate: how many executions each rate measured tells a
    # bias from the noise of a few samples.
    for n in (16, 64, 256):
        devs = []
        for a, tr, g in rows:
            every, s = figure(g.get("ix-kmod")), figure(g.get(f"ix-s{n}"))
            if tr > 0 and every and s is not None:
                devs.append((abs(s - every) / every * 100, a, g[f"ix-s{n}"].get("measured", 0)))
        worst = max(devs, default=None)
        t.row(f"sampled 1/{n}: outermost section within ±3% of every packet (worst app)",
              f"{worst[0]:.2f}% ({worst[1]}, {worst[2]} executions measured)" if worst else None,
              worst and worst[0] <= 3, "±3%", "" if worst else novm)
    every = figure(vres.get(("router-periodic", "ix-kmod")) or vres.get(("router-periodic", "ix-ktime")))
    s = figure(vres.get(("router-periodic", "ix-s64")))
    d = abs(s - every) / every * 100 if every and s is not None else None
    t.row("periodic traffic (period 64, 32 routed then 32 default-route), sampled 1/64 within ±3% "
          "of every packet: no aliasing",
          f"{d:.2f}% ({vres[('router-periodic', 'ix-s64')].get('measured', 0)} executions measured)"
          if d is not None else None, d is not None and d <= 3, "±3%",
          "" if d is not None else why_missing(vres, "router-periodic", "ix-s64", novm))
    for where, cals in (("guest", vcal), ("host", hcal)):
        for (a, cfg), o in sorted(cals.items()):
            worst = max((abs(x - median(o[k])) / median(o[k]) * 100, k) for k in ("fixed", "nested")
                        for x in o[k] if median(o[k]))
            t.row(f"calibration repeatable within ±5% over {len(o['fixed'])} runs, {where}, {o['label']}",
                  f"{worst[0]:.1f}% ({worst[1]} cost; fixed {min(o['fixed']):.1f}–{max(o['fixed']):.1f}, "
                  f"nested {min(o['nested']):.1f}–{max(o['nested']):.1f})", worst[0] <= 5, "±5%")
    if not vcal and not hcal:
        t.row("calibration repeatable within ±5% over 6 runs", None, False, "", "no calibration repeats ran")
    return t.text()


def err_pct(v, t):
    return (v - t) / t * 100 if t else (0.0 if v == t else float("inf"))


def plots(out, host, vm, rows):
    """The plots' file names; None without matplotlib (the tables stand alone)."""
    try:
        import matplotlib
    except ImportError:
        return None
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
    ap.add_argument("--big-reason", help="bigprog.py's reason file, when the balancer was not built")
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
    big_reason = open(a.big_reason).read().strip() if a.big_reason and os.path.exists(a.big_reason) else ""
    md.append("\n## Targets (issue 15)\n")
    md.append(targets(vres, host[1], rows, calibrations(a.vm), calibrations(a.host), big_reason))
    md.append("\nGuest rows: the icount guest, kmod TSC, instructions; host rows: ns.  Added "
              "instructions: the configuration's median per packet less the bare app's, same run.  "
              "Ratios: both medians from one run.  Per measured execution: divided by the sections "
              "executed per program run.  Calibrated figures as `inxpect run` computes them.")
    if vres:
        md += ["\n## Cost in the VM: guest instructions per packet\n", cost_table(vres, "instructions")]
    if host[1]:
        md += ["\n## Cost on the host: ns per packet (BPF_PROG_TEST_RUN)\n", cost_table(host[1], "ns")]
    if rows:
        md += ["\n## Accuracy in the VM: reported vs true count\n", accuracy_table(vres, rows)]
    files = plots(a.out, host, vm, rows)
    md.append("\n## Plots\n")
    if files is None:
        md.append("None: no matplotlib here (apt install python3-matplotlib).")
    else:
        md += [f"![{f}]({f})" for f in files]
    with open(os.path.join(a.out, "report.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print(os.path.join(a.out, "report.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
