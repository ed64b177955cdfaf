#!/usr/bin/env bash
# Boots, in QEMU (TCG, icount: no KVM needed), the kernel inxpect.ko was
# built for (--kernel, or /boot/vmlinuz-<the module's vermagic release>),
# with an initramfs holding inxpect.ko and the guest tests, and checks the
# serial log.  Exit: 0 all guest tests passed or skipped, 1 a failure (the guest
# log is printed), 77 a prerequisite is missing (reason printed).
#
#   run-vm-tests.sh --ko inxpect.ko --vmtest inxpect-vmtest --bpf-obj vmtest.bpf.o
#                   --log LOG [--kernel IMAGE] [--bin EXTRA]... [--test SCRIPT]...
#                   [--file SRC:DEST]... [--dynbin BIN]...
#                   [--timeout SECONDS] [--cmdline EXTRA-KERNEL-ARGS]
#                   [--expect NAMES-FILE] [--dkms-build BUILD-DIR]
#
# --expect: the guest tests that must report, one name a line; a test
# reported that is not there fails too (test/vm/tests.list is the source).
# --dynbin: a dynamic program, with its shared libraries (mkinitramfs.sh -d).
# --dkms-build: the module's DKMS source, as the package inxpect-dkms holds
# it (cmake --install BUILD-DIR --component dkms), is built and installed by
# DKMS, in private trees, against the headers of the guest's kernel; the
# result goes to the guest where DKMS put it, /lib/modules/<release>/
# updates/dkms/ (guest-tests/40-dkms.sh).  Without dkms or the headers the
# guest gets the reason instead, and that test skips; if the build fails,
# that test fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ko= vmtest= bpfobj= log= kernel= timeout_s=150 cmdline= expect= dkms_build= extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --ko) ko=$2 ;;
    --vmtest) vmtest=$2 ;;
    --bpf-obj) bpfobj=$2 ;;
    --log) log=$2 ;;
    --kernel) kernel=$2 ;;
    --bin) extra+=(-b "$2") ;;
    --dynbin) extra+=(-d "$2") ;;
    --test) extra+=(-t "$2") ;;
    --file) extra+=(-f "$2") ;;
    --timeout) timeout_s=$2 ;;
    --cmdline) cmdline=$2 ;;
    --expect) expect=$2 ;;
    --dkms-build) dkms_build=$2 ;;
    *) echo "run-vm-tests: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ -n "$log" ] || { echo "run-vm-tests: --log is required" >&2; exit 2; }
mkdir -p "$(dirname "$log")"

skip() {
  echo "INXPECT-VM-SKIP $*" > "$log"
  echo "SKIP: $*"
  exit 77
}

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not found (apt install qemu-system-x86)"
command -v cpio >/dev/null || skip "cpio not found"
[ -n "$ko" ] && [ -f "$ko" ] || skip "inxpect.ko not built (needs kernel headers with vmlinux, and pahole; see the CMake configure output)"
if [ -z "$kernel" ]; then
  # Read whole, then matched: a pipe closed early fails under pipefail.
  ko_strings=$(strings "$ko")
  release=$(sed -n 's/^vermagic=\([^ ]*\).*/\1/p' <<<"$ko_strings")
  release=${release%%$'\n'*}
  kernel=/boot/vmlinuz-$release
fi
[ -r "$kernel" ] || skip "no readable kernel image $kernel for the module (apt install the linux-image package of that release, or configure with -DINXPECT_VM_KERNEL=...)"
[ -f "$vmtest" ] || skip "guest test binary $vmtest not built"
[ -f "$bpfobj" ] || skip "BPF object $bpfobj not built"
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" | grep -q "statically linked" || skip "static busybox not found (apt install busybox-static)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$dkms_build" ]; then
  # A failed DKMS build fails the guest's DKMS test, with the log's end; the
  # other guest tests still run.
  if ! dkms_files=$("$here/dkms-build.sh" "$dkms_build" "$ko" "$work/dkms"); then
    echo "run-vm-tests: the DKMS build failed:"
    cat "$work/dkms/log"
    tail -n 5 "$work/dkms/log" | tr '\n' ' ' >"$work/dkms-fail"
    dkms_files=$work/dkms-fail:/share/dkms-fail
  fi
  while read -r f; do extra+=(-f "$f"); done <<<"$dkms_files"
fi
"$here/mkinitramfs.sh" -o "$work/initramfs.cpio.gz" \
  -b "$vmtest" -f "$ko:/lib/inxpect.ko" -f "$bpfobj:/share/vmtest.bpf.o" \
  -t "$here/guest-tests/10-kmod.sh" "${extra[@]}"

# -icount shift=0: one guest instruction per TSC tick, so TSC deltas are
# exact instruction counts.  -smp 2 only so CPU hotplug can be tested; the
# guest test takes CPU 1 offline before anything is measured.
# oops=panic + panic=-1 + -no-reboot: any oops ends the VM at once.
set +e
timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 \
  -accel tcg -cpu max -smp 2 -m 512 -icount shift=0,sleep=off \
  -no-reboot -nographic -nodefaults -serial stdio -monitor none \
  -kernel "$kernel" -initrd "$work/initramfs.cpio.gz" \
  -append "console=ttyS0 panic=-1 oops=panic loglevel=5 $cmdline" \
  > "$log" 2>&1 < /dev/null
qemu_rc=$?
set -e

problems=()
[ $qemu_rc -eq 124 ] || [ $qemu_rc -eq 137 ] && problems+=("timed out after ${timeout_s}s")
grep -qE "Kernel panic|Oops|BUG:|WARNING:|general protection|Call Trace" "$log" &&
  problems+=("kernel oops/panic/warning in the guest log")
grep -q "^INXPECT-TEST .* FAIL" "$log" && problems+=("guest test failures")
grep -q "^INXPECT-VM-DONE" "$log" || problems+=("guest did not finish (no INXPECT-VM-DONE)")
if [ -n "$expect" ]; then
  reported=$(sed -n 's/^INXPECT-TEST \([^ ]*\) .*/\1/p' "$log" | sort -u)
  for t in $reported; do
    grep -qx "$t" "$expect" || problems+=("guest test $t is not in test/vm/tests.list")
  done
  while read -r t; do
    [ -z "$t" ] || grep -qx "$t" <<<"$reported" || problems+=("guest test $t (tests.list) did not report")
  done <"$expect"
fi

grep -E "^INXPECT-(TEST|MEASURE|VM-DONE)" "$log" || true
if [ ${#problems[@]} -gt 0 ]; then
  echo "=== FAILED: ${problems[*]} (qemu exit $qemu_rc); guest log $log:"
  cat "$log"
  exit 1
fi
exit 0
