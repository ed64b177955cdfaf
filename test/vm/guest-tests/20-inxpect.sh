#!/bin/sh
# The inxpect command itself in the guest: the kmod backend end to end, from
# loading the module to the report.  Under icount every section reports the
# same instruction count on every run, so min == max is checked exactly.
ix=/bin/inxpect-static
# The module is loaded on request only, from the file named.
kmod="--backend kmod --kmod /lib/inxpect.ko"

result() { echo "INXPECT-TEST $1 $2 $3"; }
# Field $2 of the CSV row for section $1 (event $3): 7 measured, 8 executions,
# 10 mean (calibrated), 14 raw_mean, 15 raw_min, 16 raw_max.
field() { awk -F, -v s="$1" -v e="$3" -v f="$2" '$2 == s && $6 == "all" && $9 == e { print $f }' /tmp/ix.csv; }

# A run loads the module and unloads it again when it is its last user.
rmmod inxpect 2>/dev/null

if $ix run /share/drop.o $kmod --gen udp4,count=64 --repeat 4 --format csv >/tmp/ix.csv 2>/tmp/ix.err; then
  n=$(field drop 7 tsc) min=$(field drop 15 tsc) max=$(field drop 16 tsc) cal=$(field drop 10 tsc)
  # Exact under icount: the same raw count every run, and the calibrated
  # figure is Drop's true cost, 0 (bare Drop runs as many instructions as an
  # empty program).
  if [ "$n" = 256 ] && [ -n "$min" ] && [ "$min" = "$max" ] && [ "$cal" = 0 ]; then
    result inxpect.kmod_tsc PASS "drop body reported as $min instructions raw, $cal calibrated, on all $n runs"
    echo "INXPECT-MEASURE inxpect_cli_drop_body_raw $min instructions"
    echo "INXPECT-MEASURE inxpect_cli_drop_body_calibrated $cal instructions"
  else
    result inxpect.kmod_tsc FAIL "measured=$n min=$min max=$max: $(cat /tmp/ix.csv /tmp/ix.err)"
  fi
else
  result inxpect.kmod_tsc FAIL "$(cat /tmp/ix.err)"
fi

if [ -e /sys/module/inxpect ]; then
  result inxpect.unloads FAIL "inxpect loaded the module and left it loaded"
else
  result inxpect.unloads PASS "the module inxpect loaded is gone after it exits"
fi

if $ix run /share/drop.o $kmod --gen udp4,count=640 --sample 64 --format csv >/tmp/ix.csv 2>/tmp/ix.err &&
   [ "$(field drop 7 tsc)" = 10 ] && [ "$(field drop 8 tsc)" = 640 ]; then
  result inxpect.kmod_sampled PASS "10 of 640 runs measured at 1/64"
else
  result inxpect.kmod_sampled FAIL "$(cat /tmp/ix.csv /tmp/ix.err)"
fi

if $ix run /share/router.o $kmod --map routes=/share/routes.txt --gen "udp4,count=100" --format csv >/tmp/ix.csv 2>/tmp/ix.err &&
   [ "$(field router 7 tsc)" = 100 ] && [ "$(field lookup 7 tsc)" = 100 ]; then
  result inxpect.kmod_router PASS "router, calibrated: whole program $(field router 10 tsc), lookup $(field lookup 10 tsc) instructions"
else
  result inxpect.kmod_router FAIL "$(cat /tmp/ix.csv /tmp/ix.err)"
fi

# No PMU in this guest: a hardware event is one clear line, no oops, and
# the module is not loaded for nothing.
if $ix run /share/drop.o $kmod --events instructions >/tmp/ix.out 2>&1; then
  result inxpect.no_pmu FAIL "instructions counted without a PMU: $(cat /tmp/ix.out)"
elif [ -e /sys/module/inxpect ]; then
  result inxpect.no_pmu FAIL "the module was loaded for an event it cannot count: $(cat /tmp/ix.out)"
elif grep -q "no hardware PMU" /tmp/ix.out && [ "$(wc -l </tmp/ix.out)" = 1 ]; then
  result inxpect.no_pmu PASS "$(cat /tmp/ix.out)"
else
  result inxpect.no_pmu FAIL "$(cat /tmp/ix.out)"
fi

# Linux 6.12 does not let XDP call bpf_perf_event_read_value: said up front.
if $ix run /share/drop.o --backend perf >/tmp/ix.out 2>&1; then
  result inxpect.perf_refused SKIP "this kernel allows the perf helper in XDP"
elif grep -q "does not allow bpf_perf_event_read_value" /tmp/ix.out; then
  result inxpect.perf_refused PASS "$(cat /tmp/ix.out)"
else
  result inxpect.perf_refused FAIL "$(cat /tmp/ix.out)"
fi
