#!/bin/sh
# libxdp's dispatcher, which needs freplace (the build host's lockdown
# refuses it): two instrumented links of a chain loaded on lo by Debian's
# xdp-loader, then `inxpect top --dev lo` while pings go by.  Each link's
# section must count every packet, the dispatcher has its own row, and
# inxpect pins and leaves nothing; xdp-loader then unloads it all.
ix=/bin/inxpect-static
result() { echo "INXPECT-TEST $1 $2 $3"; }
# Runs of section $1 (or, with "dispatcher", of the dispatcher) in the jsonl
# line of /tmp/top.jsonl: its runs per second times the interval.
runs() {
  sed 's/\[{/[\n{/g; s/},{/}\n{/g' /tmp/top.jsonl | awk -v s="$1" '
    match($0, /"interval_s":[0-9.e+-]*/) { iv = substr($0, RSTART + 13, RLENGTH - 13) }
    (s == "dispatcher" && /"role":"dispatcher"/) || index($0, "{\"name\":\"" s "\"") {
      match($0, /"runs_per_s":[0-9.e+-]*/); r = substr($0, RSTART + 13, RLENGTH - 13)
    }
    END { printf "%.0f\n", r * iv }'
}
ping_n() { for i in $(seq "$1"); do ping -c 1 -W 1 127.0.0.1 >/dev/null; done; }

if [ ! -x /bin/xdp-loader ]; then
  result inxpect.dispatcher SKIP "no xdp-loader in the guest (apt install xdp-tools on the host)"
  result inxpect.dispatcher_attach SKIP "no xdp-loader in the guest"
  result inxpect.dispatcher_leaves_nothing SKIP "no xdp-loader in the guest"
  exit 0
fi
ip link set lo up
# bpffs as it is, less the directory libxdp keeps its state (and its lock)
# in, which it makes and leaves.
pins() { find /sys/fs/bpf -mindepth 1 ! -path /sys/fs/bpf/xdp | sort; }
pins0=$(pins)
if ! xdp-loader load -m skb lo /share/pass_first.o /share/pass_second.o >/tmp/xl.out 2>&1 ||
   ! xdp-loader status lo >/tmp/xl.status 2>&1 || ! grep -q xdp_dispatcher /tmp/xl.status; then
  result inxpect.dispatcher FAIL "xdp-loader did not load a dispatcher: $(cat /tmp/xl.out /tmp/xl.status)"
  result inxpect.dispatcher_attach SKIP "nothing loaded"
  result inxpect.dispatcher_leaves_nothing SKIP "nothing loaded"
  xdp-loader unload -a lo >/dev/null 2>&1
  exit 0
fi
sed 's/^/XDP-LOADER /' /tmp/xl.status
pins1=$(pins)

# 40 pings, each a request and a reply through lo; top reports once, when
# SIGTERM cuts its interval short.
$ix top --dev lo --interval 600 --format jsonl >/tmp/top.jsonl 2>/tmp/top.err &
pid=$!
sleep 2
ping_n 40
kill -TERM $pid
wait $pid
rc=$?
first=$(runs first) second=$(runs second) disp=$(runs dispatcher)
ncomp=$(grep -o '"role":"component"' /tmp/top.jsonl | wc -l)
if [ $rc = 0 ] && [ "$ncomp" = 2 ] && [ "$first" -ge 80 ] && [ "$first" = "$second" ] &&
   [ "$disp" = "$first" ] && grep -q '"own_ns_per_run":[0-9]' /tmp/top.jsonl; then
  result inxpect.dispatcher PASS "sections first and second counted $first and $second packets, the dispatcher ran $disp times"
else
  result inxpect.dispatcher FAIL "exit $rc, first=$first second=$second dispatcher=$disp: $(cat /tmp/top.jsonl /tmp/top.err)"
fi
# attach: a report per component, each with its section and the note that
# its dispatcher has the kernel's figures, and the dispatcher's own.
(sleep 1; ping_n 10) &
$ix attach --dev lo --interval 3 --count 1 >/tmp/attach.out 2>&1
wait
nnote=$(grep -c "no figures of its own (behind libxdp dispatcher" /tmp/attach.out)
if [ "$nnote" = 2 ] && grep -q "its component programs' time included" /tmp/attach.out &&
   grep -q " first .*pass.c:" /tmp/attach.out && grep -q " second .*pass.c:" /tmp/attach.out; then
  result inxpect.dispatcher_attach PASS "a report for each component and one for the dispatcher"
else
  result inxpect.dispatcher_attach FAIL "$(cat /tmp/attach.out)"
fi
sed 's/^/INXPECT-ATTACH /' /tmp/attach.out
# The table, for the README.
(sleep 1; ping_n 20) &
$ix top --dev lo --interval 3 --count 1 --format table 2>&1 | sed 's/^/INXPECT-TOP /'
wait

pins2=$(pins)
xdp-loader unload -a lo >/tmp/xl.out 2>&1
pins3=$(pins)
if [ "$pins1" != "$pins2" ]; then
  result inxpect.dispatcher_leaves_nothing FAIL "bpffs changed while inxpect ran: $(echo $pins1) -> $(echo $pins2)"
elif [ "$pins0" != "$pins3" ]; then
  result inxpect.dispatcher_leaves_nothing FAIL "bpffs not as before after xdp-loader unload: $(echo $pins0) -> $(echo $pins3) ($(cat /tmp/xl.out))"
elif xdp-loader status lo 2>&1 | grep -q xdp_dispatcher; then
  result inxpect.dispatcher_leaves_nothing FAIL "the dispatcher is still on lo after unload"
else
  result inxpect.dispatcher_leaves_nothing PASS "bpffs unchanged by inxpect, and as before once xdp-loader unloaded"
fi
