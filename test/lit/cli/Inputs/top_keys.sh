#!/usr/bin/env bash
# inxpect top's keys under a pseudo-terminal (top_pty.py), over drop.o
# loaded by ip on both ends of a veth pair, with traffic; then --filter in
# jsonl.  Prints what it saw for FileCheck; always removes what it made.
set -euo pipefail
source "$(dirname "$0")/veth.sh"
inxpect=$1 examples=$2 out=$3
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	veth_down
}
trap cleanup EXIT

veth_up k 10.250.0
ip link set dev "$host" xdp obj "$examples/drop.o" sec xdp
ip -n "$ns" link set dev "$peer" xdp obj "$examples/drop.o" sec xdp
ip netns exec "$ns" bash -c 'while :; do echo x >/dev/udp/'"$addr"'/9; sleep 0.01; done' &
pids+=($!)

python3 "$(dirname "$0")/top_pty.py" "$inxpect" xdp_drop

# --filter in jsonl: a program's name, a section's name, case ignored.
filtered() {
	"$inxpect" top --name xdp_drop --count 1 --interval 0.2 --filter "$1" | python3 -c '
import json, sys
[obj] = [json.loads(l) for l in sys.stdin]
progs = obj["programs"]
print("filter %s: programs>=2=%s names=%s sections=%s" % (sys.argv[1], len(progs) >= 2,
      sorted({p["name"] for p in progs}), sorted({s["name"] for p in progs for s in p["sections"]})))
' "$1"
}
filtered XDP_DR
filtered '^drop$'
filtered zzz
"$inxpect" top --name xdp_drop --count 1 --filter '(' 2>&1 && echo "bad filter: exit=0" || echo "bad filter: exit=$?"
