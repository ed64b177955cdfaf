#!/usr/bin/env bash
# --sample on a program ip loaded applies from the next run: sampled at
# 1 in 2^30 (one CPU's countdown drawn huge by the first datagram), then
# put back at exit and set to 1 again, the next datagrams are all measured.
# The sender is pinned to CPU 0 so every datagram meets that countdown.
# Prints what it saw for FileCheck; always removes what it made.
set -euo pipefail
source "$(dirname "$0")/veth.sh"
inxpect=$1 examples=$2 out=$3
trap veth_down EXIT

veth_up q 10.251.0
ip link set dev "$host" xdp obj "$examples/drop.o" sec xdp
id=$(ip -j link show dev "$host" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])')

# Section drop's measured executions in program $2's reports against the
# kernel's runs: every packet runs the section.
measured() { python3 "$(dirname "$0")/measured.py" "$1" "$2" drop --all 20; }

# inxpect watches at rate $2 while $3 datagrams go by, from CPU 0.
run() {
	local name=$1 rate=$2 n=$3
	"$inxpect" attach --prog-id "$id" --sample "$rate" --interval 0.5 --format json \
		>"$out.$name" 2>"$out.$name.err" &
	local pid=$!
	for _ in $(seq 100); do grep -q watching "$out.$name.err" && break; sleep 0.05; done
	taskset -c 0 ip netns exec "$ns" bash -c 'for i in $(seq '"$n"'); do echo "$i" >/dev/udp/'"$addr"'/9; sleep 0.01; done'
	sleep 0.2
	kill -TERM "$pid"
	wait "$pid" && rc=0 || rc=$?
	echo "$name: exit=$rc $(measured "$out.$name" "$id")"
}

run huge 1073741824 20
run one 1 20
