#!/usr/bin/env bash
# kmod_trust.sh INXPECT OBJ: --backend kmod --kmod and `inxpect kmod load
# --kmod` on module files that must be refused (a directory others can
# write, a file others can write, a file root does not own) and on one that
# passes the checks but was built for another kernel, so nothing ever
# reaches the kernel.  Prints what inxpect said and its status, per case.
set -u
ix=$1 obj=$2
d=$(mktemp -d /run/inxpect-trust.XXXXXX)  # root's, 0700
trap 'rm -rf "$d"' EXIT
# Not a module the kernel would take: only its vermagic is read.
fake() { printf 'vermagic=0.0-not-this-kernel SMP mod_unload\0' >"$1"; chmod "${2:-644}" "$1"; }
mkdir -m 777 "$d/open" && fake "$d/open/inxpect.ko"
fake "$d/group.ko" 664
fake "$d/theirs.ko" && chown 65534:65534 "$d/theirs.ko"
fake "$d/ok.ko"
ln -s "$d/open/inxpect.ko" "$d/link.ko"
for f in open/inxpect.ko group.ko theirs.ko link.ko ok.ko; do
  echo "== run $f"
  "$ix" run "$obj" --backend kmod --kmod "$d/$f" 2>&1 | sed "s|$d|DIR|g"
  echo "status ${PIPESTATUS[0]}"
done
echo "== kmod load open/inxpect.ko"
"$ix" kmod load --kmod "$d/open/inxpect.ko" 2>&1 | sed "s|$d|DIR|g"
echo "status ${PIPESTATUS[0]}"
# $INXPECT_KMOD is not read any more: it survived sudo -E.
echo "== env"
INXPECT_KMOD="$d/ok.ko" "$ix" run "$obj" --backend kmod 2>&1 | sed "s|$d|DIR|g"
echo "status ${PIPESTATUS[0]}"
