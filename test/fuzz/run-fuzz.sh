#!/usr/bin/env bash
# run-fuzz.sh FUZZER CORPUS WORK SECONDS [WHY-NOT]: fuzzes for SECONDS from
# the corpus in the repository; new inputs go to WORK/new (never into the
# repository), a crash to WORK/crash-* with the input that caused it.
# Exit 0 nothing found, 1 a crash, a leak or a timeout, 77 no libFuzzer.
set -euo pipefail
fuzzer=$1 corpus=$2 work=$3 seconds=$4 why=${5:-}
if [ -n "$why" ]; then
  echo "SKIP: $why"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work/new"
exec "$fuzzer" "$work/new" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -artifact_prefix="$work/" -print_final_stats=1
