#!/usr/bin/env bash
# The evaluation, one command: every app and every profiler, on this host
# (ns per packet) and in the VM lab's icount guest (instructions per packet,
# accuracy), then the markdown report and plots.  See docs/evaluation.md.
#
#   bench/run.sh [--build DIR] [--out DIR] [--rounds-host R] [--rounds-vm R] [--packets P]
#
# Needs root, a build (cmake + ninja) and, for the VM part, what the VM lab
# needs (docs/kmod.md); a part that cannot run is said so in the report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build out= rh=21 rv=5 pk=()
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2 ;;
    --out) out=$2 ;;
    --rounds-host) rh=$2 ;;
    --rounds-vm) rv=$2 ;;
    --packets) pk=(--packets "$2") ;;
    *) echo "usage: $0 [--build DIR] [--out DIR] [--rounds-host R] [--rounds-vm R] [--packets P]" >&2; exit 2 ;;
  esac
  shift 2
done
mkdir -p "$build" && build=$(cd "$build" && pwd)
out=${out:-$root/results/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out"
apps="drop router cms nat tunnel"

[ "$(id -u)" = 0 ] || { echo "bench/run.sh: needs root (BPF programs, test runs, bpf_stats)" >&2; exit 1; }
echo "== building (ninja -C $build)"
[ -f "$build/build.ninja" ] || cmake -S "$root" -B "$build" -G Ninja >/dev/null
ninja -C "$build" inxpect-bench >/dev/null
# The VM half's pieces; where one cannot be built, run-vm-tests.sh skips
# with the reason and the report says so.
ninja -C "$build" inxpect-bench-static inxpect-vmtest inxpect_vmtest_bpf kmod >/dev/null ||
  echo "== some VM pieces did not build; the VM part will say what is missing"
# The production-size program (the kernel selftests' Katran-derived
# balancer), built from linux-source-6.12 as test/corpus builds it; where
# it cannot be, big/reason says why and the report says so.
echo "== the balancer (test_xdp_noinline.c, basic blocks of all functions)"
big=() bigfiles=()
mkdir -p "$out/big"
{ ninja -C "$build" inxpect-cc >/dev/null && /usr/bin/python3 "$root/bench/bigprog.py" --build "$build" --out "$out/big"; } ||
  echo "bigprog.py failed" >"$out/big/reason"
if [ ! -f "$out/big/reason" ]; then
  big=(--big "$out/big")
  for f in "$out"/big/big*; do bigfiles+=(--file "$f:/share/$(basename "$f")"); done
fi

echo "== host: $rh interleaved rounds per app"
"$build/bench/inxpect-bench" --method host --rounds "$rh" "${pk[@]}" "${big[@]}" | tee "$out/host.jsonl" |
  sed -n 's/^INXPECT-BENCH {"kind":"result","app":"\([a-z-]*\)","config":"\([a-z0-9-]*\)".*/  \1 \2/p'

echo "== VM: booting the icount guest ($rv rounds per app; several minutes)"
ex=$build/examples b=$build/bench
files=()
for app in $apps; do
  files+=(--file "$ex/$app.o:/share/$app.o" --file "$ex/$app.bare.o:/share/$app.bare.o"
    --file "$b/ktime-ref-$app.bpf.o:/share/ktime-ref-$app.bpf.o")
done
echo "--rounds $rv ${pk[*]} ${big:+--big /share}" >"$out/bench-args"
# Progress: the guest's serial log, as it grows.
: >"$out/guest.log"
tail --pid=$$ -F -n +1 "$out/guest.log" 2>/dev/null | grep --line-buffered "^inxpect-bench:" &
tailer=$!
set +e
"$root/test/vm/run-vm-tests.sh" --ko "$build/kmod/kbuild/inxpect.ko" \
  --vmtest "$build/test/vm/inxpect-vmtest" --bpf-obj "$build/test/vm/vmtest.bpf.o" \
  --log "$out/guest.log" --timeout 2400 \
  --bin "$b/inxpect-bench-static" \
  --test "$root/test/vm/guest-tests/30-bench.sh" "${files[@]}" \
  --file "$ex/routes.txt:/share/routes.txt" --file "$ex/tunnels.txt:/share/tunnels.txt" \
  --file "$b/empty.bpf.o:/share/empty.bpf.o" "${bigfiles[@]}" \
  --file "$out/bench-args:/share/bench-args" |
  grep -E "^INXPECT-(TEST|VM-DONE)|^SKIP|FAILED"
vm_rc=${PIPESTATUS[0]}
set -e
kill $tailer 2>/dev/null || true
[ "$vm_rc" = 0 ] || echo "== VM part exited $vm_rc (77: skipped); the report says what is missing"

machine="$(uname -n), $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1), Linux $(uname -r)"
/usr/bin/python3 "$root/bench/report.py" --host "$out/host.jsonl" --vm "$out/guest.log" --out "$out" \
  --big-reason "$out/big/reason" --machine "$machine"
