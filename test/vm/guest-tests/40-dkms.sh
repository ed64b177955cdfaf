#!/bin/sh
# The module where the package inxpect-dkms puts it: built by DKMS on the
# host against this kernel's headers (run-vm-tests.sh --dkms-build) and
# installed as on a system with the package, /lib/modules/$(uname -r)/
# updates/dkms/inxpect.ko[.xz].  The inxpect command finds and loads it
# there, with no --kmod and no other copy: moved away, the kmod
# backend has no module.
result() { echo "INXPECT-TEST $1 $2 $3"; }
t=dkms.kmod_backend
ix=/bin/inxpect-static
if [ -f /share/dkms-skip ]; then
  result $t SKIP "$(cat /share/dkms-skip)"
  exit 0
fi
if [ -f /share/dkms-fail ]; then
  result $t FAIL "the DKMS build on the host failed: $(cat /share/dkms-fail)"
  exit 0
fi
rmmod inxpect 2>/dev/null
rm -f /lib/inxpect.ko
ko=$(ls /lib/modules/"$(uname -r)"/updates/dkms/inxpect.ko* 2>/dev/null)
if [ -z "$ko" ]; then
  result $t FAIL "no inxpect.ko* in /lib/modules/$(uname -r)/updates/dkms"
  exit 0
fi

mv "$ko" /tmp/held
$ix run /share/drop.o --backend kmod --gen udp4,count=8 >/tmp/dk.out 2>&1
rc=$?
mv /tmp/held "$ko"
if [ $rc = 0 ] || ! grep -q "the inxpect module is not loaded, and there is no" /tmp/dk.out; then
  result $t FAIL "with the DKMS module moved away: exit $rc, $(cat /tmp/dk.out)"
  exit 0
fi

if $ix run /share/drop.o --backend kmod --gen udp4,count=64 --format csv >/tmp/dk.csv 2>/tmp/dk.err &&
   awk -F, '$2 == "drop" && $6 == "all" && $9 == "tsc" { n = $7 } END { exit n != 64 }' /tmp/dk.csv; then
  result $t PASS "inxpect loaded $ko (DKMS-built) and measured 64 runs with the kmod backend"
else
  result $t FAIL "$(cat /tmp/dk.err /tmp/dk.csv)"
fi
