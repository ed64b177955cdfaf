#!/usr/bin/env bash
# Every test on a fresh Debian 12 machine: install what is missing, build,
# then run ctest (GoogleTest cases one by one, lit, the VM lab).  Tests that
# need root, BPF, a network namespace or the VM report as skipped, with why.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -G Ninja -Wno-dev >/dev/null
cmake --build build
exec ctest --test-dir build --output-on-failure --timeout 900 "$@"
