#!/usr/bin/env bash
# Loads an object with bpftool and dumps its control map (found among the
# program's maps by name); always unpins what it pinned.
set -euo pipefail
obj=$1
pin=/sys/fs/bpf/inxpect-sites-$$
trap 'rm -f "$pin"' EXIT
bpftool prog load "$obj" "$pin"
for m in $(bpftool prog show pinned "$pin" -j | python3 -c 'import json, sys; print(*json.load(sys.stdin)["map_ids"])'); do
	if [[ $(bpftool map show id "$m") == *" name .data.inxpect "* ]]; then
		bpftool map dump id "$m"
	fi
done
