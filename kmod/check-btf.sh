#!/usr/bin/env bash
# Fails unless the module carries a .BTF section: without it the verifier
# cannot resolve the kfuncs, and a kernel built with
# CONFIG_MODULE_ALLOW_BTF_MISMATCH would load the module silently without.
set -euo pipefail
ko=${1:?usage: check-btf.sh MODULE.ko}
# Read once: with pipefail, "readelf | grep -q" fails at random when grep
# exits early and readelf dies of SIGPIPE.
sections=$(readelf -S --wide "$ko")
if ! grep -q ' \.BTF ' <<<"$sections"; then
  echo "check-btf: $ko has no .BTF section (is pahole installed, and does" \
       "the headers tree have vmlinux?)" >&2
  exit 1
fi
if ! grep -q ' \.BTF_ids ' <<<"$sections"; then
  echo "check-btf: $ko has no .BTF_ids section (kfunc set missing)" >&2
  exit 1
fi
