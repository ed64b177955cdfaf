#!/bin/sh
# The module and kfunc tests (guest/vmtest.c).
exec /bin/inxpect-vmtest /lib/inxpect.ko /share/vmtest.bpf.o
