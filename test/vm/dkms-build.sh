#!/usr/bin/env bash
# dkms-build.sh BUILD-DIR MODULE.ko WORK: builds the module as the package
# inxpect-dkms does, for the kernel MODULE.ko was built for (the guest's):
# the DKMS source that `cmake --install BUILD-DIR --component dkms`
# installs, added, built and installed by Debian's dkms in private trees
# under WORK (nothing in /var/lib/dkms or /lib/modules is touched, the
# signing key included).  Prints the initramfs entries (SRC:DEST) that put
# the result where DKMS put it, /lib/modules/<release>/updates/dkms/, or,
# when dkms or the headers are missing, a /share/dkms-skip file with the
# reason.  Exit 1, with WORK/log, if the build fails.
set -euo pipefail
build=$1 ko=$2 work=$3
mkdir -p "$work"
skip() {
  echo "$*" >"$work/dkms-skip"
  echo "$work/dkms-skip:/share/dkms-skip"
  exit 0
}
command -v dkms >/dev/null || skip "dkms not found (apt install dkms)"
[ "$(id -u)" = 0 ] || skip "dkms needs root"
# Read whole, then matched: a pipe closed early fails under pipefail.
ko_strings=$(strings "$ko")
release=$(sed -n 's/^vermagic=\([^ ]*\).*/\1/p' <<<"$ko_strings")
release=${release%%$'\n'*}
[ -e "/lib/modules/$release/build/Makefile" ] ||
  skip "no headers for $release at /lib/modules/$release/build (apt install linux-headers-$release)"

cmake --install "$build" --component dkms --prefix "$work/usr" >"$work/log" 2>&1
src=$(echo "$work"/usr/src/inxpect-*)
version=${src##*/inxpect-}
trees=(--dkmstree "$work/dkms" --sourcetree "$work/usr/src" --installtree "$work/lib/modules")
mkdir -p "$work/dkms" "$work/lib/modules/$release"
export mok_signing_key=$work/mok.key mok_certificate=$work/mok.pub
{
  dkms add -m inxpect -v "$version" "${trees[@]}" &&
    dkms build -m inxpect -v "$version" -k "$release" "${trees[@]}" &&
    dkms install --no-depmod -m inxpect -v "$version" -k "$release" "${trees[@]}"
} >>"$work/log" 2>&1 || { cat "$work"/dkms/inxpect/"$version"/build/make.log >>"$work/log" 2>/dev/null; exit 1; }
installed=$(echo "$work/lib/modules/$release/updates/dkms/inxpect.ko"*)
[ -f "$installed" ] || { echo "dkms installed no inxpect.ko* in $work/lib/modules/$release/updates/dkms" >>"$work/log"; exit 1; }
echo "$installed:/lib/modules/$release/updates/dkms/${installed##*/}"
