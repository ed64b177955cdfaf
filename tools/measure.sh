#!/bin/sh
# Object size and verifier cost of one source, plain and at each
# granularity, with sections inactive and active.  Needs root.
#   tools/measure.sh BUILD_DIR SOURCE.c PACKETS.hex [SCOPE]
# The plain build uses $CLANG (default clang-19).
set -eu
build=$1 src=$2 packets=$3 scope=${4:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
clang=${CLANG:-clang-19}
multiarch=$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
run=$build/tools/inxpect-xdp-run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

stats() { # OBJ [--activate]: "processed/xlated" of every program
	"$run" --stats ${2:-} "$1" "$packets" 2>&1 >/dev/null |
		sed -n 's/^\([^:]*\): insns=[0-9]* xlated_insns=\([0-9]*\) verifier_processed \([0-9]*\) insns/\1 \3\/\2/p' |
		tr '\n' ' '
}

"$clang" -target bpf -O2 -g -I"$root/include" -idirafter "/usr/include/$multiarch" \
	-c "$src" -o "$tmp/plain.o"
printf '%-32s %10s  %s\n' granularity bytes "program processed/xlated (inactive | active)"
printf '%-32s %10s  %s\n' plain "$(stat -c %s "$tmp/plain.o")" "$(stats "$tmp/plain.o")"
for g in functions blocks basic-blocks functions,blocks,basic-blocks; do
	"$build/driver/inxpect-cc" -O2 -g -w -fprofile-sections=$g \
		-fprofile-sections-scope="$scope" -c "$src" -o "$tmp/i.o"
	printf '%-32s %10s  %s| %s\n' "$g" "$(stat -c %s "$tmp/i.o")" \
		"$(stats "$tmp/i.o")" "$(stats "$tmp/i.o" --activate)"
done
