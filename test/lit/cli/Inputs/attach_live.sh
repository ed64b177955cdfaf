#!/usr/bin/env bash
# Live profiling over a veth pair: the drop example attached to the host end,
# pings sent from the other end in a network namespace.  Prints what it saw
# for FileCheck; always removes the namespace and the interface.
set -euo pipefail
source "$(dirname "$0")/veth.sh"
inxpect=$1 examples=$2 out=$3
trap veth_down EXIT

veth_up l 10.250.0

# No "| grep -q" under pipefail: an early grep exit can fail the pipe.
attached() { [[ $(ip link show dev "$host") == *xdp* ]]; }
measured() { awk -F, '$2 == "drop" && $6 == "all" { s += $7 } END { print s + 0 }' "$1"; }
wait_attached() { for _ in $(seq 50); do attached && return 0; sleep 0.1; done; return 1; }

# 1. Until --duration: reports every interval, then detaches.  Long beside
# the 40 datagrams' half second: on a loaded machine (a CI run with the VM
# lab beside it) sending them once took past a 3 s duration, and 29 of 40
# were counted.
"$inxpect" attach "$examples/drop.o" --dev "$host" --duration 8 --interval 2 --format csv >"$out.1" &
pid=$!
wait_attached
send 40
wait "$pid"
echo "duration: exit=$? measured=$(measured "$out.1") reports=$(grep -c '^id,' "$out.1")"
attached && echo "duration: STILL ATTACHED" || echo "duration: detached"

# 2. SIGTERM detaches.
"$inxpect" attach "$examples/drop.o" --dev "$host" --mode skb --interval 0.5 --format csv >"$out.2" &
pid=$!
wait_attached
send 20
kill -TERM "$pid"
wait "$pid" && rc=0 || rc=$?
echo "sigterm: exit=$rc measured=$(measured "$out.2")"
attached && echo "sigterm: STILL ATTACHED" || echo "sigterm: detached"

# 3. Even SIGKILL detaches: the attachment is a bpf_link owned by the process.
"$inxpect" attach "$examples/drop.o" --dev "$host" --format csv >/dev/null &
pid=$!
wait_attached
kill -KILL "$pid"
wait "$pid" || true
sleep 0.5
attached && echo "sigkill: STILL ATTACHED" || echo "sigkill: detached"
