#!/usr/bin/env bash
# Installs, with apt, everything InXpect needs to build and test on Debian 12.
# The one list of packages; demo.sh and test.sh call it.
set -euo pipefail
pkgs=(
  build-essential cmake ninja-build pkg-config git
  clang-19 llvm-19 llvm-19-dev llvm-19-tools libclang-19-dev clang-format-19
  libbpf-dev bpftool libelf-dev zlib1g-dev liblzma-dev
  libxdp-dev xdp-tools
  libprotobuf-dev protobuf-compiler golang-github-google-pprof-dev
  libclang-rt-19-dev
  libgtest-dev libgmock-dev
  iproute2 python3
  prometheus-cpp-dev prometheus curl
  linux-headers-6.12-amd64 linux-image-6.12-amd64
  linux-source-6.12
  qemu-system-x86 busybox-static cpio
  dwarves file
  dkms lintian debootstrap
  python3-matplotlib
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp /tmp/inxpect-apt.XXXXXX)
  echo "deps.sh: installing ${missing[*]} (log: $log)"
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "deps.sh: apt-get failed; see $log" >&2
    exit 1
  fi
fi
