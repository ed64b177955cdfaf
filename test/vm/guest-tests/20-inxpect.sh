#!/bin/sh
# The inxpect command itself in the guest: the kmod backend end to end, from
# loading the module to the report.  Under icount every section reports the
# same instruction count on every run, so min == max is checked exactly.
ix=/bin/inxpect-static
# The module is loaded on request only, from the file named.
kmod="--backend kmod --kmod /lib/inxpect.ko"

result() { echo "INXPECT-TEST $1 $2 $3"; }
# Field $2 of the CSV row for section $1 (event $3), the section's row (the
# rows of its call paths have a path in field 3): 7 measured,
# 8 executions, 10 mean (calibrated, inclusive), 11 exclusive_mean,
# 15 raw_mean, 16 raw_min, 17 raw_max.
field() { awk -F, -v s="$1" -v e="$3" -v f="$2" '$2 == s && $3 == "" && $6 == "all" && $9 == e { print $f }' /tmp/ix.csv; }
# Whether $1 is within $2 +- $3.
within() { awk -v v="$1" -v c="$2" -v d="$3" 'BEGIN { exit !(v != "" && v >= c - d && v <= c + d) }'; }

# The module is loaded on demand and unloaded again by whoever loaded it
# when it was its last user.  Whatever vmtest left is gone first:
# its programs let go of the module only once the kernel has freed them.
i=0
while [ -e /sys/module/inxpect ] && [ $i -lt 100 ]; do
  rmmod inxpect 2>/dev/null || sleep 0.05
  i=$((i + 1))
done

if $ix run /share/drop.o $kmod --gen udp4,count=64 --repeat 4 --format csv >/tmp/ix.csv 2>/tmp/ix.err; then
  n=$(field drop 7 tsc) min=$(field drop 16 tsc) max=$(field drop 17 tsc) cal=$(field drop 10 tsc)
  excl=$(field drop 11 tsc)
  # Exact under icount: the same raw count every run, and the calibrated
  # figure is Drop's true cost, 0 (bare Drop runs as many instructions as an
  # empty program), within 1.  The call path: drop alone, at top level.
  if [ "$n" = 256 ] && [ -n "$min" ] && [ "$min" = "$max" ] && within "$cal" 0 1 &&
     [ "$excl" = "$cal" ] && grep -q '^0,drop,drop,.*,all,256,256,tsc,' /tmp/ix.csv; then
    result inxpect.kmod_tsc PASS "drop body reported as $min instructions raw, $cal calibrated (exclusive $excl), on all $n runs"
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

# 1 run in 64 on average, at random intervals (about 10 of 640; 6 standard
# deviations either way), and the executions estimated from the rate.
if $ix run /share/drop.o $kmod --gen udp4,count=640 --sample 64 --format csv >/tmp/ix.csv 2>/tmp/ix.err &&
   m=$(field drop 7 tsc) && within "$m" 10 10 && [ "$m" -gt 0 ] && [ "$(field drop 8 tsc)" = $((m * 64)) ]; then
  result inxpect.kmod_sampled PASS "$m of 640 runs measured at 1/64, $(field drop 8 tsc) executions estimated"
else
  result inxpect.kmod_sampled FAIL "$(cat /tmp/ix.csv /tmp/ix.err)"
fi

if $ix run /share/router.o $kmod --map routes=/share/routes.txt --gen "udp4,count=100" --format csv >/tmp/ix.csv 2>/tmp/ix.err &&
   [ "$(field router 7 tsc)" = 100 ] && [ "$(field lookup 7 tsc)" = 100 ]; then
  result inxpect.kmod_router PASS "router, calibrated: whole program $(field router 10 tsc) (exclusive $(field router 11 tsc)), lookup $(field lookup 10 tsc) instructions"
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
