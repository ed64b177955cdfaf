#!/usr/bin/env bash
# drop.o loaded by xdp-loader (xdp-tools) on the namespace end of a veth
# pair, measured in place by `inxpect top --dev` and `attach --dev` run in
# that namespace, with UDP sent to it.  There, with no bpffs, libxdp loads
# no dispatcher: the program is attached alone (libxdp's legacy mode); the
# dispatcher itself is the VM lab's (guest-tests/50-dispatcher.sh).  Prints
# what it saw for FileCheck; always removes what it made.
set -euo pipefail
source "$(dirname "$0")/veth.sh"
inxpect=$1 examples=$2 out=$3
trap veth_down EXIT

veth_up l 10.250.0
in_ns() { ip netns exec "$ns" "$@"; }
# Datagrams to the far end, whose address drop.o keeps from being resolved.
ip neigh add 10.250.0.2 lladdr "$(in_ns cat "/sys/class/net/$peer/address")" dev "$host"
# Until process $1 blocks the stop signals: it measures from then on.
ready() { for _ in $(seq 200); do grep -q '^SigBlk:.*[1-9a-f]' "/proc/$1/status" && return; sleep 0.05; done; }
send_in() { for i in $(seq "$1"); do echo "$i" >/dev/udp/10.250.0.2/9; sleep 0.01; done; }

in_ns xdp-loader load -m skb "$peer" "$examples/drop.o" 2>"$out.load"
id=$(in_ns ip -j link show dev "$peer" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])')
in_ns xdp-loader status "$peer" | grep -o "xdp_drop *skb"
# What inxpect could leave behind: pins, the attachment, the program's maps.
state() {
	in_ns ls -R /sys/fs/bpf 2>&1
	in_ns ip -j link show dev "$peer" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])'
	bpftool prog show id "$id" | grep -o 'map_ids.*'
}
before=$(state)

# inxpect is started with ip netns exec itself, not through in_ns, so that
# $! is inxpect (ip execs it), the process ready() watches and kill stops.
# top: one jsonl object, when SIGTERM cuts the interval short after 60
# datagrams.
ip netns exec "$ns" "$inxpect" top --dev "$peer" --interval 600 >"$out.top" 2>"$out.top.err" &
pid=$!
ready "$pid"
send_in 60
sleep 0.2
kill -TERM "$pid"
wait "$pid" && echo "top: exit=0" || echo "top: exit=$?"
python3 - "$out.top" <<'PY'
import json, sys
[obj] = [json.loads(l) for l in open(sys.argv[1])]
[p] = obj["programs"]
[s] = p["sections"]
print("top: %s role=%s instrumented=%s section=%s runs=%d" % (p["name"], p["role"], p["instrumented"],
      s["name"], round(s["runs_per_s"] * obj["interval_s"])))
PY

ip netns exec "$ns" "$inxpect" attach --dev "$peer" --interval 600 --format json >"$out.attach" 2>"$out.attach.err" &
pid=$!
ready "$pid"
send_in 60
sleep 0.2
kill -TERM "$pid"
wait "$pid" && echo "attach: exit=0" || echo "attach: exit=$?"
python3 - "$out.attach" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
print("attach: measured=%d" % sum(s["measured"] for s in doc["sections"] if s["name"] == "drop"))
PY

after=$(state)
[[ $before == "$after" ]] && echo "inxpect: nothing left behind" || diff <(echo "$before") <(echo "$after")
in_ns xdp-loader unload -a "$peer"
in_ns xdp-loader status "$peer" | grep -o "No XDP program loaded"
bpftool prog show id "$id" >/dev/null 2>&1 && echo "unload: program $id STILL LOADED" || echo "unload: program gone"
