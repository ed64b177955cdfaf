#!/bin/sh
# The module's lifecycle under signals and concurrent inxpect processes:
# whatever ends a run, a module that runs loaded is gone once the last one
# ends, one the operator loaded stays, nothing keeps a reference, and a
# start never fails because another process is unloading.
ix=/bin/inxpect-static
kmod="--backend kmod --kmod /lib/inxpect.ko"
# Long enough to be signalled (10^8 runs), in little memory.
long="--gen udp4,count=100000 --repeat 1000"
result() { echo "INXPECT-TEST $1 $2 $3"; }
loaded() { [ -e /sys/module/inxpect ]; }
refcnt() { cat /sys/module/inxpect/refcnt 2>/dev/null || echo none; }
# Waits (up to 20 s) until a run holds the module: its programs are loaded.
wait_running() {
  i=0
  while [ $i -lt 200 ]; do
    [ "$(refcnt)" != none ] && [ "$(refcnt)" -gt 0 ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}
# Waits (up to 5 s) for the module's refcount to fall to 0.
wait_idle() {
  i=0
  while [ $i -lt 50 ]; do
    [ "$(refcnt)" = 0 ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}
rmmod inxpect 2>/dev/null

# --- Signals during `run --backend kmod`: the run cleans up, then ends by
# the signal; the module it loaded is gone.
bad=
# SIGINT from a foreground timeout (a background job would ignore it).
timeout -s INT 4 $ix run /share/drop.o $kmod $long >/dev/null 2>/tmp/sig.err
rc=$?
grep -q "interrupted by SIGINT" /tmp/sig.err || bad="$bad INT(rc $rc: $(cat /tmp/sig.err))"
loaded && bad="$bad INT(module left loaded, refcnt $(refcnt))"
for sig in TERM HUP; do
  $ix run /share/drop.o $kmod $long >/dev/null 2>/tmp/sig.err &
  pid=$!
  wait_running || bad="$bad $sig(never ran: $(cat /tmp/sig.err))"
  kill -$sig $pid
  wait $pid
  rc=$?
  [ $rc -gt 128 ] || bad="$bad $sig(exit $rc)"
  loaded && bad="$bad $sig(module left loaded, refcnt $(refcnt))"
done
# SIGPIPE: the reader is gone before the report is written.
$ix run /share/drop.o $kmod --gen udp4,count=64 2>/tmp/sig.err | true
loaded && bad="$bad PIPE(module left loaded)"
if [ -z "$bad" ]; then
  result inxpect.signals PASS "SIGINT, SIGTERM, SIGHUP, SIGPIPE: module unloaded each time"
else
  result inxpect.signals FAIL "$bad"
fi

# --- SIGKILL cannot be handled: the module stays, but nothing pins it, and
# the next run to end is the last user and unloads it.
$ix run /share/drop.o $kmod $long >/dev/null 2>&1 &
pid=$!
wait_running
kill -KILL $pid
wait $pid
if ! loaded; then
  result inxpect.sigkill_recovers FAIL "module gone after SIGKILL (it cannot be, no code ran)"
elif ! wait_idle; then
  result inxpect.sigkill_recovers FAIL "refcnt $(refcnt) after the killed process ended"
elif ! $ix run /share/drop.o --gen udp4,count=16 --format csv >/tmp/k.csv 2>/tmp/k.err; then
  result inxpect.sigkill_recovers FAIL "next run: $(cat /tmp/k.err)"
elif loaded; then
  result inxpect.sigkill_recovers FAIL "the next run left the module loaded"
elif ! grep -q ',tsc,' /tmp/k.csv; then
  result inxpect.sigkill_recovers FAIL "the next run did not use the loaded module: $(cat /tmp/k.csv)"
else
  result inxpect.sigkill_recovers PASS "after SIGKILL: refcnt 0, the next run (auto, tsc) unloaded it"
fi

# --- Two processes at once, five times: both succeed, and the module is
# gone after the last one (it stayed loaded for good before, or a start
# failed with EBUSY while the other unloaded).
bad=
round=1
while [ $round -le 5 ]; do
  $ix run /share/drop.o $kmod --gen udp4,count=32 --format csv >/tmp/a.csv 2>/tmp/a.err &
  a=$!
  $ix run /share/drop.o $kmod --gen udp4,count=32 --format csv >/tmp/b.csv 2>/tmp/b.err &
  b=$!
  wait $a
  ra=$?
  wait $b
  rb=$?
  [ $ra = 0 ] || bad="$bad round$round:A($ra: $(cat /tmp/a.err))"
  [ $rb = 0 ] || bad="$bad round$round:B($rb: $(cat /tmp/b.err))"
  grep -q ',all,32,32,tsc,' /tmp/a.csv && grep -q ',all,32,32,tsc,' /tmp/b.csv ||
    bad="$bad round$round:figures"
  loaded && bad="$bad round$round:left-loaded(refcnt $(refcnt))" && rmmod inxpect
  round=$((round + 1))
done
# The one that loads it ends first, the other much later: neither may
# leave it loaded (the first could not unload it under the second, which
# had not loaded it, so it stayed for good).
$ix run /share/drop.o $kmod --gen udp4,count=32 --format csv >/tmp/a.csv 2>/tmp/a.err &
a=$!
$ix run /share/drop.o $kmod --gen udp4,count=100000 --format csv >/tmp/b.csv 2>/tmp/b.err &
b=$!
wait $a || bad="$bad long-short:A($(cat /tmp/a.err))"
wait $b || bad="$bad long-short:B($(cat /tmp/b.err))"
loaded && bad="$bad long-short:left-loaded(refcnt $(refcnt))" && rmmod inxpect
if [ -z "$bad" ]; then
  result inxpect.two_processes PASS "5 rounds of two at once, and a short and a long one: all exit 0, module unloaded after the last"
else
  result inxpect.two_processes FAIL "$bad"
fi

# --- A module the operator loaded stays loaded, whoever uses it; no
# reference is left behind; an unload while a run holds it is refused.
bad=
$ix kmod load --kmod /lib/inxpect.ko >/tmp/l.out 2>&1 || bad="$bad load($(cat /tmp/l.out))"
$ix run /share/drop.o --gen udp4,count=32 --format csv >/tmp/a.csv 2>/tmp/a.err &
a=$!
$ix run /share/drop.o --gen udp4,count=32 --format csv >/tmp/b.csv 2>/tmp/b.err &
b=$!
wait $a || bad="$bad A($(cat /tmp/a.err))"
wait $b || bad="$bad B($(cat /tmp/b.err))"
grep -q ',tsc,' /tmp/a.csv || bad="$bad A-not-tsc"
loaded || bad="$bad operator-module-unloaded"
wait_idle || bad="$bad refcnt($(refcnt))"
$ix kmod status >/tmp/s.out 2>&1
grep -q "loaded by: the operator" /tmp/s.out || bad="$bad status($(cat /tmp/s.out))"
$ix run /share/drop.o $long >/dev/null 2>&1 &
a=$!
wait_running
if $ix kmod unload >/tmp/u.out 2>&1; then
  bad="$bad unloaded-under-a-run"
else
  grep -q "in use by an inxpect process" /tmp/u.out || bad="$bad unload-busy($(cat /tmp/u.out))"
fi
kill -TERM $a
wait $a
loaded || bad="$bad operator-module-unloaded-by-run"
$ix kmod unload >/tmp/u.out 2>&1 || bad="$bad unload($(cat /tmp/u.out))"
loaded && bad="$bad still-loaded" && rmmod inxpect
# The operator takes over a module a run loaded: it stays after the run.
$ix run /share/drop.o $kmod $long >/dev/null 2>&1 &
a=$!
wait_running
$ix kmod load >/tmp/l.out 2>&1
grep -q "loaded by an inxpect run; it now stays loaded" /tmp/l.out || bad="$bad takeover($(cat /tmp/l.out))"
kill -TERM $a
wait $a
loaded || bad="$bad taken-over-module-unloaded"
$ix kmod unload >/dev/null 2>&1 || rmmod inxpect
if [ -z "$bad" ]; then
  result inxpect.operator_module PASS "stays loaded across runs, refcnt back to 0, unload refused while a run holds it, a run's module taken over by kmod load"
else
  result inxpect.operator_module FAIL "$bad"
fi
exit 0
