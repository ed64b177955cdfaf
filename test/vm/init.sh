#!/bin/busybox sh
# /init of the VM test guest.  Runs every executable in /tests.d in order,
# echoes what they print (INXPECT-TEST lines) to the serial console, and
# ends with one INXPECT-VM-DONE line, then powers off.  A test script that
# exits non-zero without printing a FAIL line gets one here, so a crash of
# a test binary cannot pass.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /sys/fs/bpf && mount -t bpf bpf /sys/fs/bpf
export PATH=/bin

echo "INXPECT-VM-BOOTED $(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) jit=$(cat /proc/sys/net/core/bpf_jit_enable)"
: > /tmp/all
for t in /tests.d/*; do
  [ -x "$t" ] || continue
  { "$t"; echo $? > /tmp/rc; } 2>&1 | tee /tmp/out
  cat /tmp/out >> /tmp/all
  rc=$(cat /tmp/rc)
  if [ "$rc" != 0 ] && ! grep -q "^INXPECT-TEST .* FAIL" /tmp/out; then
    echo "INXPECT-TEST ${t##*/} FAIL exited with status $rc" | tee -a /tmp/all
  fi
done
# The module's own messages, for the host log (the console shows only
# warnings and worse).
dmesg | grep -i inxpect | sed 's/^/KLOG /'
[ -n "${INXPECT_VMTEST_JITDUMP:-}" ] && grep -E " (inxpect_kf_|__x86_return_thunk|bpf_dispatcher_xdp_func)" /proc/kallsyms | sed 's/^/KSYM /'
pass=$(grep -c "^INXPECT-TEST .* PASS" /tmp/all)
fail=$(grep -c "^INXPECT-TEST .* FAIL" /tmp/all)
skip=$(grep -c "^INXPECT-TEST .* SKIP" /tmp/all)
echo "INXPECT-VM-DONE pass=$pass fail=$fail skip=$skip"
sync
poweroff -f
