#!/bin/sh
# inxpect-bench in the icount guest, where every profiler can run.  With
# /share/bench-args (bench/run.sh puts it there) this is the full
# evaluation; without, the smoke test: Drop only, a few thousand packets,
# every configuration must run and report.  The module is loaded here (the
# kmod TSC configurations and the fentry TSC variant call its kfunc) and
# unloaded at the end.
b=/bin/inxpect-bench-static
result() { echo "INXPECT-TEST $1 $2 $3"; }
[ -x $b ] || { result bench.smoke SKIP "inxpect-bench-static not in the guest"; exit 0; }
if [ ! -e /sys/module/inxpect ]; then
  insmod /lib/inxpect.ko 2>/tmp/insmod.err || { result bench.smoke FAIL "insmod: $(cat /tmp/insmod.err)"; exit 0; }
fi

if [ -f /share/bench-args ]; then
  # Full run: the host reads the INXPECT-BENCH lines from the log.
  $b --method icount --examples /share --objs /share $(cat /share/bench-args)
  rc=$?
  rmmod inxpect
  if [ $rc = 0 ]; then result bench.full PASS "every app measured"; else result bench.full FAIL "exit $rc"; fi
  exit 0
fi

$b --method icount --examples /share --objs /share --apps drop --packets 512 --rounds 3 >/tmp/bench.out 2>/tmp/bench.err
rc=$?
rmmod inxpect
cat /tmp/bench.out
missing=
# Every profiler runs here and reports a count; the two references only cost.
for k in none empty ix-kmod ix-nohist ix-lean ix-ktime ix-s16 ix-s64 ix-s256 fentry-perf fentry-tsc bpf-stats; do
  want='"per_packet"'
  case $k in none|empty) ;; *) want='"reported"' ;; esac
  grep "\"config\":\"$k\"" /tmp/bench.out | grep '"ok":true' | grep -q "$want" || missing="$missing $k"
done
# Linux 6.12 refuses the perf helper in XDP: reported with its reason.
grep '"config":"ix-perf"' /tmp/bench.out | grep -q -e '"ok":true' -e '"reason"' || missing="$missing ix-perf"
if [ $rc = 0 ] && [ -z "$missing" ]; then
  result bench.smoke PASS "drop: every configuration ran and reported"
else
  result bench.smoke FAIL "exit $rc, not reported:$missing: $(tail -n 3 /tmp/bench.err)"
fi
