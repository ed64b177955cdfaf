#!/usr/bin/env bash
# A program loaded and attached by a libbpf skeleton loader (examples/
# project's xdpcount, built on a skeleton of the instrumented object),
# measured in place by every selector while UDP comes over a veth pair:
# inxpect measures every run, and the loader counts every datagram.  After
# the loader exits, nothing of it is left: no program, map, link, pin or
# attachment.  Prints what it saw for FileCheck; always removes what it made.
set -euo pipefail
source "$(dirname "$0")/veth.sh"
inxpect=$1 loader=$2 out=$3
pin=/sys/fs/bpf/inxpect-skel-$$
loader_pid=
cleanup() {
	[[ -n $loader_pid ]] && kill "$loader_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -f "$pin"
	veth_down
}
trap cleanup EXIT

veth_up x 10.249.0
"$loader" -i "$host" >"$out.loader" 2>&1 &
loader_pid=$!
xdp_id() { ip -j link show dev "$host" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0].get("xdp", {}).get("prog", {}).get("id", ""))'; }
for _ in $(seq 100); do [[ -n $(xdp_id) ]] && break; sleep 0.05; done
id=$(xdp_id)
field() { bpftool prog show id "$id" -j | python3 -c 'import json, sys; p = json.load(sys.stdin); print(p["'"$1"'"] if "'"$1"'" != "map_ids" else " ".join(map(str, p["map_ids"])))'; }
tag=$(field tag) name=$(field name) maps=$(field map_ids)
echo "loader: program $name attached by a link=$(bpftool link show -j | python3 -c 'import json, sys; print(any(l.get("prog_id") == '"$id"' and l.get("type") == "xdp" for l in json.load(sys.stdin)))')"
bpftool prog pin id "$id" "$pin"

# Section xdpcount's measured executions against the kernel's runs: every
# run enters the section.
measured() { python3 "$(dirname "$0")/measured.py" "$1" "$id" xdpcount --all 30; }

sent=0
run() {
	local what=$1
	shift
	"$inxpect" attach "$@" --interval 0.5 --format json >"$out.$what" 2>"$out.$what.err" &
	local pid=$!
	for _ in $(seq 100); do grep -q watching "$out.$what.err" && break; sleep 0.05; done
	send 30
	sent=$((sent + 30))
	sleep 0.2
	kill -TERM "$pid"
	wait "$pid" && rc=0 || rc=$?
	echo "skeleton $what: exit=$rc $(measured "$out.$what")"
}
run prog-id --prog-id "$id"
run dev --dev "$host"
run name --name "$name"
run tag --tag "$tag"
run pin --pin "$pin"
rm -f "$pin"

# The loader's own count of UDP over IPv4, printed each second.
sleep 1.2
udp=$(awk '$1 == "udp4" { n = $2 } END { print n }' "$out.loader")
echo "loader: udp4 counted=$([[ $udp == "$sent" ]] && echo all || echo "$udp of $sent")"

kill -TERM "$loader_pid"
wait "$loader_pid" && echo "loader: exit=0" || echo "loader: exit=$?"
loader_pid=
# The kernel frees maps after their last reference in a work queue: what
# is left is looked for again for up to 3 s.
leftovers() {
	left=()
	bpftool prog show id "$id" >/dev/null 2>&1 && left+=("program $id")
	for m in $maps; do bpftool map show id "$m" >/dev/null 2>&1 && left+=("map $m"); done
	bpftool link show -j | python3 -c 'import json, sys; sys.exit(any(l.get("prog_id") == '"$id"' for l in json.load(sys.stdin)))' || left+=("link")
	[[ -n $(xdp_id) ]] && left+=("attachment")
	[[ -e $pin ]] && left+=("pin")
	[[ ${#left[@]} == 0 ]]
}
for _ in $(seq 30); do leftovers && break; sleep 0.1; done
echo "after the loader: left=${left[*]:-nothing}"
