#!/usr/bin/env bash
# as_nobody.sh INXPECT OBJ [ARGS...]: `INXPECT run OBJ ARGS` as user nobody
# with no capabilities, from copies in a directory anyone can read (the tree
# may sit under a private home directory); prints what it printed, then
# "status N".
set -u
d=$(mktemp -d /tmp/inxpect-nobody.XXXXXX)
trap 'rm -rf "$d"' EXIT
chmod 755 "$d"
install -m 755 "$1" "$d/inxpect"
install -m 644 "$2" "$d/$(basename "$2")"
obj=$d/$(basename "$2")
shift 2
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$d/inxpect" run "$obj" "$@" 2>&1
echo "status $?"
