#!/usr/bin/env bash
# lint.sh DEBS: lintian on the packages debs.sh made.  Prints every tag
# (informational ones included) and a summary; fails on any error (E:).
# Exit 77 without lintian.
set -euo pipefail
debs=$1
command -v lintian >/dev/null || { echo "SKIP: lintian not found (apt install lintian)"; exit 77; }
set -- "$debs"/inxpect_*.deb "$debs"/inxpect-dkms_*.deb
[ -f "$1" ] && [ -f "$2" ] || { echo "FAIL: no packages in $debs (package.debs)"; exit 1; }
# --display-info, --show-overrides: informational and overridden tags too;
# root is fine for a check.
out=$(lintian --display-info --show-overrides --tag-display-limit 0 "$@" 2>&1 | grep -v "running with root privileges" || true)
[ -z "$out" ] || echo "$out"
count() { grep -c "^$1: " <<<"$out" || true; }
echo "lintian: $(count E) errors, $(count W) warnings, $(count I) informational, $(count O) overridden"
[ "$(count E)" = 0 ]
