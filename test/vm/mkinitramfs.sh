#!/usr/bin/env bash
# Builds the VM test initramfs: busybox-static, init.sh as /init, and what
# the options add.  Binaries must be static (the guest has no libc), but
# for those given with -d, which bring their shared libraries along.
#
#   mkinitramfs.sh -o OUT.cpio.gz [-b BIN]... [-d BIN]... [-f SRC:DEST]... [-t SCRIPT]...
#
#   -b BIN          copy to /bin/<name> (e.g. a static `inxpect` CLI later)
#   -d BIN          a dynamic program not ours (xdp-loader): copy to
#                   /bin/<name>, with its loader and libraries (as ldd
#                   finds them on this host) at the same paths
#   -f SRC:DEST     copy SRC to DEST (absolute path in the guest)
#   -t SCRIPT       add a test to /tests.d/ (run in name order by /init);
#                   it prints INXPECT-TEST lines, see init.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out= bins=() dyns=() files=() tests=()
while getopts "o:b:d:f:t:" opt; do
  case $opt in
    o) out=$OPTARG ;;
    b) bins+=("$OPTARG") ;;
    d) dyns+=("$OPTARG") ;;
    f) files+=("$OPTARG") ;;
    t) tests+=("$OPTARG") ;;
    *) echo "usage: $0 -o OUT [-b BIN]... [-d BIN]... [-f SRC:DEST]... [-t SCRIPT]..." >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "mkinitramfs: -o OUT is required" >&2; exit 2; }
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" | grep -q "statically linked"; then
  echo "mkinitramfs: need a static busybox (apt install busybox-static)" >&2
  exit 2
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib,share,tests.d}
cp "$busybox" "$root/bin/busybox"
cp "$here/init.sh" "$root/init"
chmod 755 "$root/init"
for b in "${bins[@]}"; do
  if ! file -L "$b" | grep -q "statically linked"; then
    echo "mkinitramfs: $b is not statically linked" >&2
    exit 2
  fi
  install -m 755 "$b" "$root/bin/"
done
for d in "${dyns[@]}"; do
  install -m 755 "$d" "$root/bin/"
  # ldd's paths: "libbpf.so.1 => /lib/.../libbpf.so.1 (0x...)" and the
  # loader's "/lib64/ld-linux-x86-64.so.2 (0x...)".
  for lib in $(ldd "$d" | grep -o '/[^ ]*'); do
    mkdir -p "$root/$(dirname "$lib")"
    cp -L "$lib" "$root/$lib"
  done
done
for f in "${files[@]}"; do
  mkdir -p "$root/$(dirname "${f#*:}")"
  cp "${f%%:*}" "$root/${f#*:}"
done
for t in "${tests[@]}"; do
  install -m 755 "$t" "$root/tests.d/"
done
# Owned by root in the guest, whoever builds it: inxpect loads a module
# only from a file root owns.
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet -R 0:0) | gzip -1 > "$out"
