#!/usr/bin/env bash
# guest-result.sh LOG NAME: the result of guest test NAME in the log that
# vm.boot wrote.  0 PASS, 77 SKIP (or the VM was skipped), 1 otherwise.
set -uo pipefail
log=$1 name=$2
if [ ! -f "$log" ]; then
  echo "no guest log $log (vm.boot did not run)"
  exit 1
fi
if grep -q "^INXPECT-VM-SKIP" "$log"; then
  sed -n 's/^INXPECT-VM-SKIP /SKIP: /p' "$log"
  exit 77
fi
line=$(grep "^INXPECT-TEST $name " "$log" | tail -n1)
if [ -z "$line" ]; then
  echo "guest test $name did not report (see $log)"
  exit 1
fi
echo "$line"
grep "^INXPECT-MEASURE" "$log" | grep -q . && [ "$name" = measure.overhead ] &&
  grep "^INXPECT-MEASURE" "$log"
case $line in
  *" $name PASS"*) exit 0 ;;
  *" $name SKIP"*) exit 77 ;;
  *) exit 1 ;;
esac
