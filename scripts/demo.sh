#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build,
# instrument examples/router with inxpect-cc, profile it over generated
# traffic, print the report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -G Ninja -Wno-dev >/dev/null
cmake --build build --target inxpect inxpect-cc inxpect_rewrite example_router_routes
set -x
build/driver/inxpect-cc -O2 -g -fprofile-sections=functions,blocks \
  -c examples/router/router.c -o build/router.o
build/runtime/inxpect run build/router.o \
  --map routes=build/examples/routes.txt \
  --gen "udp4,count=2000,dst=192.168.0.0/16;tcp4,count=500,dst=0.0.0.0/0,size=512;udp6,count=200" \
  --repeat 16 "$@"
