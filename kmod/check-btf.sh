#!/usr/bin/env bash
# Fails unless the module carries a .BTF section: without it the verifier
# cannot resolve the kfuncs, and a kernel built with
# CONFIG_MODULE_ALLOW_BTF_MISMATCH would load the module silently without.
set -euo pipefail
ko=${1:?usage: check-btf.sh MODULE.ko}
if ! readelf -S --wide "$ko" | grep -q ' \.BTF '; then
  echo "check-btf: $ko has no .BTF section (is pahole installed, and does" \
       "the headers tree have vmlinux?)" >&2
  exit 1
fi
if ! readelf -S --wide "$ko" | grep -q ' \.BTF_ids '; then
  echo "check-btf: $ko has no .BTF_ids section (kfunc set missing)" >&2
  exit 1
fi
