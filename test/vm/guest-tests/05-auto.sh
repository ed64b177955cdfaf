#!/bin/sh
# Before anything has loaded the module (10-kmod.sh loads it next): the
# default backend never loads it, and the kernel's taint flags stay as they
# were; loading it on request taints the kernel as docs/kmod.md says.
# $INXPECT_KMOD names the module as before: it must be ignored.
ix=/bin/inxpect-static
result() { echo "INXPECT-TEST $1 $2 $3"; }
taint() { cat /proc/sys/kernel/tainted; }

t0=$(taint)
if [ -e /sys/module/inxpect ]; then
  result inxpect.auto_no_load SKIP "the module is loaded already"
elif INXPECT_KMOD=/lib/inxpect.ko $ix run /share/drop.o --gen udp4,count=16 --format csv >/tmp/auto.csv 2>/tmp/auto.err; then
  t1=$(taint)
  if [ -e /sys/module/inxpect ]; then
    result inxpect.auto_no_load FAIL "--backend auto loaded the module (taint $t0 -> $t1)"
  elif [ "$t0" != "$t1" ]; then
    result inxpect.auto_no_load FAIL "taint changed from $t0 to $t1"
  elif ! grep -q ',all,16,16,ktime,' /tmp/auto.csv; then
    result inxpect.auto_no_load FAIL "not measured with ktime: $(cat /tmp/auto.csv)"
  elif $ix probe kmod >/dev/null; then
    result inxpect.auto_no_load FAIL "probe says the module is available"
  else
    result inxpect.auto_no_load PASS "backend ktime, module not loaded, taint $t0 before and after"
  fi
else
  result inxpect.auto_no_load FAIL "$(cat /tmp/auto.err)"
fi

# On request: `inxpect kmod load`.  The module is unsigned and out of tree:
# the kernel sets taint flags O (4096) and E (8192), for good.
if $ix kmod load --kmod /lib/inxpect.ko >/tmp/load.out 2>&1 && [ -e /sys/module/inxpect ]; then
  t2=$(taint)
  if [ $((t2 & 12288)) = 12288 ] && grep -q "taint flags went from $t0 to $t2" /tmp/load.out; then
    result inxpect.kmod_load_taints PASS "taint $t0 -> $t2 (O, E): $(cat /tmp/load.out)"
  else
    result inxpect.kmod_load_taints FAIL "taint $t0 -> $t2: $(cat /tmp/load.out)"
  fi
  $ix kmod unload >/dev/null 2>&1 || rmmod inxpect
else
  result inxpect.kmod_load_taints FAIL "$(cat /tmp/load.out)"
fi
exit 0
