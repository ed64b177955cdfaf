#!/usr/bin/env bash
# external.sh BUILD APP_SRC WORK CMAKE: installs BUILD into WORK/prefix, then
# builds APP_SRC against it with its CMake package and with pkg-config, and
# runs both.
set -euo pipefail
build=$1 app=$2 work=$3 cmake=$4
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log"

# The CMake package.
"$cmake" -S "$app" -B "$work/app" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log"
"$cmake" --build "$work/app" >"$work/build.log"
"$work/app/external" >"$work/cmake.out"

# pkg-config.
pc=$(find "$prefix" -name inxpect.pc)
export PKG_CONFIG_PATH=${pc%/inxpect.pc}
# shellcheck disable=SC2046
c++ -std=c++17 "$app/main.cpp" -o "$work/external-pc" $(pkg-config --cflags --libs inxpect)
"$work/external-pc" >"$work/pc.out"

cmp "$work/cmake.out" "$work/pc.out"
grep -q '"name":"body"' "$work/cmake.out"
grep -q "^abi " "$work/cmake.out"
echo "install: the CMake package and pkg-config both build and run a program against $prefix"
