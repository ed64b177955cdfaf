#!/usr/bin/env bash
# bench.smoke: inxpect-bench on Drop, a few thousand packets, on this host;
# passes when every configuration either ran and reported, or was refused
# with its reason.  Exit 77 (skipped) when this machine cannot run XDP test
# runs: inxpect-bench says so with its exit status (77, EX_NOPERM).  The VM
# half is vm.bench.smoke (test/vm/guest-tests/30-bench.sh).
set -uo pipefail
bench=$1
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (BPF programs and BPF_PROG_TEST_RUN)"; exit 77; }
[ -x "$bench" ] || { echo "SKIP: $bench not built"; exit 77; }
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$bench" --apps drop --packets 64 --repeat 16 --rounds 3 >"$out" 2>"$err"
rc=$?
if [ $rc != 0 ]; then
  cat "$out" "$err"
  # The baseline itself cannot run: BPF is closed to us, not broken.
  [ $rc = 77 ] && { echo "SKIP: this kernel refuses BPF programs or test runs to us"; exit 77; }
  exit 1
fi
/usr/bin/python3 "$here/report.py" --check "$out"
