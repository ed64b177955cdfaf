#!/usr/bin/env bash
# Programs loaded by others, measured in place: drop.o loaded by bpftool
# (pinned, then attached by ip) and by ip alone, selected by every selector,
# with UDP sent from a network namespace over a veth pair.  Prints what it
# saw for FileCheck; always removes what it made.
set -euo pipefail
# In a mount namespace of its own, with a bpffs of its own: "nothing left
# behind" lists the pins, and the other tests that lit runs beside this one
# pin their programs in the host's bpffs meanwhile.
if [ -z "${INXPECT_OWN_BPFFS:-}" ]; then
	INXPECT_OWN_BPFFS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
mount -t bpf bpf /sys/fs/bpf
source "$(dirname "$0")/veth.sh"
inxpect=$1 examples=$2 out=$3
pin=/sys/fs/bpf/inxpect-run-$$
cleanup() {
	veth_down
	rm -f "$pin"
}
trap cleanup EXIT

veth_up r 10.252.0

# Section drop's measured executions in the reports of program $2.
measured() { python3 "$(dirname "$0")/measured.py" "$1" "$2" drop; }
prog_id() { ip -j link show dev "$host" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])'; }
prog_field() { bpftool prog show id "$1" -j | python3 -c 'import json, sys; p = json.load(sys.stdin); print(p["'"$2"'"])'; }
# What inxpect could leave behind: pins, links, the attachment, the maps.
state() {
	ls -R /sys/fs/bpf
	bpftool link show | grep -E "ifindex $(cat /sys/class/net/$host/ifindex)|prog $1\b" || true
	prog_id
	bpftool prog show id "$1" | grep -o 'map_ids.*'
}

# One selector: inxpect reports every 0.5 s while 60 datagrams go by, and
# once more when SIGTERM stops it, so every datagram is in a report.
run() {
	local name=$1 id=$2
	shift 2
	"$inxpect" attach "$@" --interval 0.5 --format json >"$out.$name" 2>"$out.$name.err" &
	local pid=$!
	for _ in $(seq 100); do grep -q watching "$out.$name.err" && break; sleep 0.05; done
	send 60
	sleep 0.2
	kill -TERM "$pid"
	wait "$pid" && rc=0 || rc=$?
	echo "$name: exit=$rc measured=$(measured "$out.$name" "$id")"
}

check() {
	local id=$1 tag name
	tag=$(prog_field "$id" tag)
	name=$(prog_field "$id" name)
	local before after
	before=$(state "$id")
	run "$2 prog-id" "$id" --prog-id "$id"
	run "$2 dev" "$id" --dev "$host"
	run "$2 name" "$id" --name "$name"
	run "$2 tag" "$id" --tag "$tag"
	[[ $2 == bpftool ]] && run "$2 pin" "$id" --pin "$pin"
	# --sample and --disable are put back at exit; the records stay whole.
	run "$2 disabled" "$id" --dev "$host" --disable drop --sample 3
	after=$(state "$id")
	[[ $before == "$after" ]] && echo "$2: nothing left behind" || diff <(echo "$before") <(echo "$after")
	bpftool map dump id "$(bpftool prog show id "$id" -j | python3 -c 'import json, sys; print(*json.load(sys.stdin)["map_ids"])' | tr ' ' '\n' | while read -r m; do
		[[ $(bpftool map show id "$m") == *" name .data.inxpect "* ]] && echo "$m"
	done)" | grep -E '"sample_rate"|site=start' | tr -d ' '
}

bpftool prog load "$examples/drop.o" "$pin"
ip link set dev "$host" xdp pinned "$pin"
check "$(prog_id)" bpftool
ip link set dev "$host" xdp off
rm -f "$pin"

ip link set dev "$host" xdp obj "$examples/drop.o" sec xdp
check "$(prog_id)" ip
ip link set dev "$host" xdp off

# Not instrumented: the kernel's figures only.
ip link set dev "$host" xdp obj "$examples/drop.bare.o" sec xdp
"$inxpect" attach --dev "$host" --interval 1 --count 2 >"$out.bare" 2>&1 &
pid=$!
sleep 0.3
send 30
wait "$pid" && echo "bare: exit=0" || echo "bare: exit=$?"
grep -c 'note: not instrumented' "$out.bare"
grep -m1 -o 'note: kernel: [0-9]* runs' "$out.bare"
ip link set dev "$host" xdp off
"$inxpect" attach --dev "$host" --count 1 2>&1 || true
