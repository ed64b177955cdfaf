#!/usr/bin/env bash
# debs.sh BUILD SRC OUT: makes the Debian packages with CPack from BUILD
# into OUT and checks what they hold: every file a user reaches, the
# module's whole source (every kmod/*.c and *.h, and each contract header
# they include) with its dkms.conf, and no path of the build tree in the
# installed programs.  Prints the packages and their sizes.  Exit 77 without
# cpack or dpkg-deb.
set -euo pipefail
build=$1 src=$2 out=$3
cpack=$(dirname "$(grep -m1 '^CMAKE_COMMAND:' "$build/CMakeCache.txt" | cut -d= -f2)")/cpack
[ -x "$cpack" ] || cpack=$(command -v cpack || true)
[ -n "$cpack" ] || { echo "SKIP: cpack not found"; exit 77; }
command -v dpkg-deb >/dev/null || { echo "SKIP: dpkg-deb not found (not a Debian system)"; exit 77; }

rm -rf "$out" && mkdir -p "$out"
(cd "$build" && "$cpack" -G DEB -B "$out" >"$out/cpack.log" 2>&1) ||
  { cat "$out/cpack.log"; exit 1; }
rm -rf "$out/_CPack_Packages"
main=$(echo "$out"/inxpect_*.deb) dkms=$(echo "$out"/inxpect-dkms_*_all.deb)
[ -f "$main" ] && [ -f "$dkms" ] || { echo "FAIL: expected inxpect_*.deb and inxpect-dkms_*_all.deb in $out:"; ls "$out"; exit 1; }

bad=0
need() {  # need DEB PATH...: each PATH is in the package
  local deb=$1 list; shift
  list=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./||')
  for p in "$@"; do
    grep -qx -- "$p" <<<"$list" || { echo "FAIL: ${deb##*/} lacks /$p"; bad=1; }
  done
}
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
need "$main" usr/bin/inxpect usr/bin/inxpect-cc "usr/lib/$ma/inxpect/inxpect-rewrite.so" \
  usr/include/inxpect/inxpect.h usr/include/inxpect/annotate.h usr/include/libinxpect/session.h \
  "usr/lib/$ma/libinxpect.a" "usr/lib/$ma/libinxpect-core.a" "usr/lib/$ma/pkgconfig/inxpect.pc" \
  "usr/lib/$ma/cmake/inxpect/inxpect-config.cmake" "usr/lib/$ma/cmake/inxpect/inxpect-bpf.cmake" \
  usr/share/man/man1/inxpect.1.gz usr/share/man/man1/inxpect-cc.1.gz \
  usr/share/bash-completion/completions/inxpect usr/share/bash-completion/completions/inxpect-cc \
  usr/share/doc/inxpect/copyright usr/share/doc/inxpect/changelog.Debian.gz
version=$(dpkg-deb -f "$dkms" Version)
dir=usr/src/inxpect-${version%-*}
kmod=()
for f in "$src"/kmod/*.c "$src"/kmod/*.h; do kmod+=("$dir/${f##*/}"); done
# The contract headers the module's sources include.
for h in $(sed -n 's|^#include "\(inxpect/[^"]*\)"|\1|p' "$src"/kmod/*.c "$src"/kmod/*.h | sort -u); do
  kmod+=("$dir/include/$h")
done
need "$dkms" "$dir/dkms.conf" "$dir/Kbuild" "$dir/check-btf.sh" "${kmod[@]}" \
  usr/share/doc/inxpect-dkms/copyright

# Installed programs carry no path into the build tree (the module is found
# where DKMS puts it, inxpect-cc's plugin next to inxpect-cc).
x=$(mktemp -d)
trap 'rm -rf "$x"' EXIT
dpkg-deb -x "$main" "$x"
if strings "$x/usr/bin/inxpect" | grep -qF "$(cd "$build" && pwd)"; then
  echo "FAIL: /usr/bin/inxpect names the build tree $build"
  bad=1
fi
[ $bad = 0 ] || exit 1
for d in "$main" "$dkms"; do
  printf '%s  %s bytes, installed %s KiB\n' "${d##*/}" "$(stat -c %s "$d")" "$(dpkg-deb -f "$d" Installed-Size)"
  echo "  Depends: $(dpkg-deb -f "$d" Depends)"
done
