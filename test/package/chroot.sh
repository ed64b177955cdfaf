#!/usr/bin/env bash
# The packages installed in a clean Debian 12 chroot, and used there from
# the installed files only (no source or build tree inside):
#
#   chroot.sh setup   WORK DEBS   debootstrap bookworm (minbase) into
#                                 WORK/root, then apt install ./inxpect_*.deb
#                                 ./inxpect-dkms_*.deb
#   chroot.sh readme  WORK SRC ROUTES
#                                 the README's main job: inxpect-cc on
#                                 examples/router/router.c, inxpect run
#   chroot.sh example WORK SRC    examples/project built against the
#                                 installed package with CMake and with Make,
#                                 its loader run, its instrumented object
#                                 profiled
#   chroot.sh dkms    WORK RELEASE
#                                 apt install linux-image-RELEASE
#                                 linux-headers-RELEASE: DKMS's hook builds
#                                 the module for that kernel
#   chroot.sh cleanup WORK        unmount and remove WORK/root
#
# The mirror is the one this machine's apt uses (/etc/apt/sources.list*),
# and so are its sources inside the chroot; packages come through this
# machine's apt cache (/var/cache/apt/archives) when it is there, and are
# checked against the mirror's indexes as usual.  The chroot lies on a
# tmpfs (dpkg's syncs make a disk one several times slower).
#
# setup writes WORK/state: "ready", or the reason it could not run; the
# other steps skip (exit 77) with that reason.  Needs root, debootstrap and
# the mirror; without one of them setup skips with the reason.
set -euo pipefail
step=$1 work=$2
root=$work/root
state=$work/state
log=$work/$step.log
suite=bookworm

skip() {
  echo "SKIP: $*"
  [ "$step" != setup ] || echo "$*" >"$state"
  exit 77
}
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive "$@"; }
apt_in_root() {  # packages, or /tmp/... globs of the chroot's files
  local args=() a
  for a in "$@"; do
    if [[ $a == /* ]]; then
      for f in "$root"$a; do args+=("${f#"$root"}"); done
    else
      args+=("$a")
    fi
  done
  set -- "${args[@]}"
  in_root apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1 ||
    { tail -n 40 "$log"; echo "FAIL: apt-get install $* in the chroot (log: $log)"; exit 1; }
}
mounts_under_root() {
  [ -d "$root" ] || return 0
  awk -v r="$(realpath "$root")" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r
}
# Unmounts everything under the chroot (deepest first, the tmpfs last) and
# removes it.  /dev, /sys and the apt cache are bind mounts of this
# machine's: nothing is removed while any mount is left.
remove_root() {
  local m
  while read -r m; do
    [ -z "$m" ] || umount "$m" 2>/dev/null || umount -l "$m" || true
  done < <(mounts_under_root)
  if [ -n "$(mounts_under_root)" ]; then
    echo "FAIL: still mounted under $root, not removed:" $(mounts_under_root)
    exit 1
  fi
  rm -rf --one-file-system "$root"
}
ready() {
  [ -f "$state" ] || { echo "FAIL: no chroot (package.chroot.setup did not run)"; exit 1; }
  [ "$(cat "$state")" = ready ] || skip "$(cat "$state")"
}

# The first Debian mirror this machine's apt uses (deb822 or one-line).
host_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
  done
}

case $step in
setup)
  mkdir -p "$work"
  rm -f "$state" "$log"
  [ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot, mounts)"
  command -v debootstrap >/dev/null || skip "debootstrap not found (apt install debootstrap)"
  shift 2
  debs=$1
  mirror=$(host_mirror | grep -v -e security -e updates | head -n1)
  mirror=${mirror:-http://deb.debian.org/debian}
  # apt's proxy, if it has one, for debootstrap's wget too.
  proxy=$(apt-config dump 2>/dev/null | sed -n 's/^Acquire::http::Proxy "\(.*\)";/\1/p' | head -n1)
  [ -z "$proxy" ] || export http_proxy=$proxy
  wget -q -T 15 -t 2 -O /dev/null "$mirror/dists/$suite/InRelease" ||
    skip "the Debian mirror $mirror is not reachable from here"

  remove_root
  mkdir -p "$root"
  mount -t tmpfs -o size=4g,mode=0755 inxpect-chroot "$root" 2>/dev/null ||
    echo "no tmpfs here; the chroot is on disk (slower)"
  cache=()
  [ -d /var/cache/apt/archives ] && [ -w /var/cache/apt/archives ] &&
    cache=(--cache-dir=/var/cache/apt/archives)
  start=$SECONDS
  debootstrap --variant=minbase "${cache[@]}" "$suite" "$root" "$mirror" >"$log" 2>&1 ||
    { tail -n 30 "$log"; echo "FAIL: debootstrap $suite $mirror (log: $log)"; exit 1; }
  echo "debootstrap $suite from $mirror: $((SECONDS - start)) s"

  # This machine's apt sources (security included, for kernel headers), its
  # proxy, name resolution; no daemons started; dpkg without syncs.
  rm -f "$root/etc/apt/sources.list"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    grep -q -e debian -e "$mirror" "$f" || continue
    mkdir -p "$root$(dirname "$f")" && cp "$f" "$root$f"
  done
  [ -z "$proxy" ] || echo "Acquire::http::Proxy \"$proxy\";" >"$root/etc/apt/apt.conf.d/01proxy"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/unsafe-io"
  mount -t proc proc "$root/proc"
  mount --bind /sys "$root/sys"
  mount --bind /dev "$root/dev"
  [ ${#cache[@]} = 0 ] || mount --bind /var/cache/apt/archives "$root/var/cache/apt/archives"

  start=$SECONDS
  in_root apt-get update -q >>"$log" 2>&1 || { tail -n 20 "$log"; echo "FAIL: apt-get update in the chroot"; exit 1; }
  mkdir -p "$root/tmp/debs"
  cp "$debs"/inxpect_*.deb "$debs"/inxpect-dkms_*.deb "$root/tmp/debs/"
  # The README's install line (without Recommends: the chroot has no kernel
  # of its own to build the module for; `dkms` installs headers later).
  apt_in_root '/tmp/debs/inxpect_*.deb' '/tmp/debs/inxpect-dkms_*.deb'
  echo "apt install ./inxpect_*.deb ./inxpect-dkms_*.deb: $((SECONDS - start)) s"
  in_root dpkg-query -W inxpect inxpect-dkms
  grep -E "^(Building for|Module build|It is likely)" "$log" || true
  rm -rf "$root/tmp/debs"
  echo ready >"$state"
  ;;

readme)
  ready
  src=$3 routes=$4
  job=$root/root/job
  rm -rf "$job" && mkdir -p "$job"
  cp "$src/examples/router/router.c" "$src/examples/router/router.h" "$routes" "$job/"
  # Nothing of InXpect but the packages' files: no tree, no INXPECT_KMOD.
  in_root bash -c 'cd /root/job && set -x &&
    inxpect --version && inxpect-cc --help | head -n 1 &&
    inxpect-cc -O2 -g -fprofile-sections=functions,blocks -fprofile-sections-inline \
      -c router.c -o router.o &&
    inxpect run router.o --map routes=routes.txt \
      --gen "udp4,count=2000,dst=192.168.0.0/16;tcp4,count=500,dst=0.0.0.0/0,size=512;udp6,count=200" \
      --repeat 16' >"$log" 2>&1 || { cat "$log"; echo "FAIL: the README's main job in the chroot"; exit 1; }
  cat "$log"
  for s in router parse lookup rewrite; do
    grep -qE "^ *[0-9]+ +$s +[^ ]*router.c:" "$log" || { echo "FAIL: no section $s in the report"; exit 1; }
  done
  # The man pages and the bash completion are installed and work.
  in_root bash -c 'zcat /usr/share/man/man1/inxpect.1.gz | grep -q "^\.SH EXIT STATUS" &&
    zcat /usr/share/man/man1/inxpect-cc.1.gz | grep -q "fprofile" &&
    . /usr/share/bash-completion/completions/inxpect &&
    . /usr/share/bash-completion/completions/inxpect-cc &&
    complete -p inxpect inxpect-cc' || { echo "FAIL: man pages or completion"; exit 1; }
  ;;

example)
  ready
  src=$3
  # What a project of the user's needs to build: CMake, Make, a C compiler,
  # pkg-config, bpftool (inxpect's Recommends).
  apt_in_root cmake make gcc libc6-dev pkgconf bpftool
  rm -rf "$root/root/project" && cp -r "$src/examples/project" "$root/root/project"
  in_root bash -c 'cd /root/project && set -x &&
    cmake -S . -B build && cmake --build build &&
    build/xdpcount && inxpect run build/xdpcount.inxpect.bpf.o --gen "udp4,count=300;tcp4,count=200" &&
    make && ./xdpcount &&
    rm -f xdpcount.bpf.o && make -f /dev/null CC=inxpect-cc CFLAGS="-O2 -g -fprofile-sections=functions" xdpcount.bpf.o &&
    inxpect list xdpcount.bpf.o' >"$log" 2>&1 || { cat "$log"; echo "FAIL: examples/project against the installed package"; exit 1; }
  cat "$log"
  [ "$(grep -c '^udp4 3$' "$log")" = 2 ] || { echo "FAIL: the loader's counts (CMake and Make builds)"; exit 1; }
  grep -qE "^ *1 +classify " "$log" || { echo "FAIL: no section classify in the report"; exit 1; }
  ;;

dkms)
  ready
  release=${3:-}
  [ -n "$release" ] || skip "no kernel release to build the module for (no module build in this tree)"
  start=$SECONDS
  # A kernel upgrade: the image and its headers (which need the image).
  # DKMS's kernel hook builds and installs the module for it.  No initramfs
  # is made in here (minutes, and this chroot never boots).
  if [ ! -e "$root/usr/sbin/update-initramfs.distrib" ]; then
    in_root dpkg-divert --local --rename --add /usr/sbin/update-initramfs >>"$log"
    ln -sf /bin/true "$root/usr/sbin/update-initramfs"
  fi
  apt_in_root "linux-image-$release" "linux-headers-$release"
  echo "apt install linux-image-$release linux-headers-$release (DKMS build included): $((SECONDS - start)) s"
  grep -E "dkms|inxpect" "$log" | grep -v "^Get:" || true
  ko=$(ls "$root/lib/modules/$release/updates/dkms/"inxpect.ko* 2>/dev/null || true)
  [ -n "$ko" ] || { echo "FAIL: DKMS installed no /lib/modules/$release/updates/dkms/inxpect.ko*"; exit 1; }
  in_root dkms status inxpect | tee -a "$log"
  in_root dkms status inxpect | grep -q "$release.*installed" || { echo "FAIL: dkms status"; exit 1; }
  echo "DKMS put ${ko#"$root"} there"
  ;;

cleanup)
  remove_root
  ;;

*)
  echo "usage: $0 setup|readme|example|dkms|cleanup WORK ..." >&2
  exit 2
  ;;
esac
