#!/usr/bin/env bash
# inxpect top over a program ip loaded: jsonl when stdout is a pipe, one
# object per interval, the section's runs matching the datagrams sent; the
# table on request; every XDP program without a selector.  Always removes
# what it made.
set -euo pipefail
source "$(dirname "$0")/veth.sh"
inxpect=$1 examples=$2 out=$3
trap veth_down EXIT

veth_up t 10.253.0
ip link set dev "$host" xdp obj "$examples/drop.o" sec xdp

# jsonl (stdout is a file): stopped by SIGTERM after the datagrams, so the
# last interval has them all.
"$inxpect" top --dev "$host" --interval 0.5 >"$out.jsonl" &
pid=$!
sleep 0.5
send 50
sleep 0.3
kill -TERM "$pid"
wait "$pid" && echo "jsonl: exit=0" || echo "jsonl: exit=$?"
python3 - "$out.jsonl" "$host" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
runs = 0
for obj in lines:
    [p] = obj["programs"]
    assert p["ifname"] == sys.argv[2] and p["instrumented"] and p["name"] == "xdp_drop", p
    [s] = p["sections"]
    assert s["name"] == "drop" and s["location"] == "examples/drop/drop.c:12", s
    runs += s["runs_per_s"] * obj["interval_s"]
    if s["runs_per_s"]:
        assert 0 < s["mean_ns"] <= s["p99_ns"] * 2 and s["share"] == 100, s
print("jsonl: intervals>1=%s runs=%d" % (len(lines) > 1, round(runs)))
PY

# The table, as on a terminal but without the redraw codes.
"$inxpect" top --dev "$host" --format table --count 1 --interval 0.2 | head -4

# No selector: every XDP program, ours among them; --count ends it.
"$inxpect" top --count 2 --interval 0.2 --sort id >"$out.all"
python3 - "$out.all" "$host" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
ids = [p["id"] for p in lines[0]["programs"]]
print("all: objects=%d ours=%s sorted=%s" % (len(lines),
      any(p["ifname"] == sys.argv[2] for p in lines[0]["programs"]), ids == sorted(ids)))
PY

# Programs come and go: ours, removed while top runs, leaves the view
# (inxpect keeps no program alive).
id=$(ip -j link show dev "$host" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])')
"$inxpect" top --count 3 --interval 0.5 >"$out.gone" &
pid=$!
sleep 0.7
ip link set dev "$host" xdp off
wait "$pid"
python3 - "$out.gone" "$id" <<'PY'
import json, sys
seen = [any(p["id"] == int(sys.argv[2]) for p in json.loads(l)["programs"]) for l in open(sys.argv[1])]
print("gone: first=%s last=%s" % (seen[0], seen[-1]))
PY
bpftool prog show id "$id" >/dev/null 2>&1 && echo "gone: STILL LOADED" || echo "gone: unloaded"
