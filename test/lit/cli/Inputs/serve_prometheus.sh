#!/usr/bin/env bash
# inxpect serve under Debian's real Prometheus, with live traffic: 100
# scrapes at once, each consistent, then Prometheus scrapes the exporter and
# answers histogram_quantile through its HTTP API, and every query of the
# Grafana dashboard (dashboard_queries.py).  Prints what it saw for
# FileCheck; always stops what it started and removes what it made.
set -euo pipefail
source "$(dirname "$0")/veth.sh"
inxpect=$1 examples=$2 out=$3 dashboard=$4
tmp=$(mktemp -d /tmp/inxpect-serve.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	veth_down
	rm -rf "$tmp"
}
trap cleanup EXIT

veth_up s 10.254.0
ip link set dev "$host" xdp obj "$examples/drop.o" sec xdp

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
"$inxpect" serve --listen "127.0.0.1:$port" --dev "$host" 2>"$tmp/serve.err" &
pids+=($!)
for _ in $(seq 100); do curl -sf "127.0.0.1:$port/metrics" >/dev/null && break; sleep 0.1; done

# Traffic for as long as the test runs.
ip netns exec "$ns" bash -c 'while :; do echo x >/dev/udp/'"$addr"'/9; sleep 0.002; done' &
pids+=($!)
sleep 1

# 100 scrapes at once, while traffic runs.
for i in $(seq 100); do
	curl -sf -o "$tmp/scrape.$i" -w '%{time_total}\n' "127.0.0.1:$port/metrics" >"$tmp/time.$i" &
done
wait_scrapes() { for i in $(seq 100); do while [[ ! -s $tmp/time.$i ]]; do sleep 0.05; done; done; }
wait_scrapes
python3 - "$tmp" <<'PY'
import glob, math, re, sys
tmp = sys.argv[1]
ok = 0
for f in glob.glob(tmp + "/scrape.*"):
    series = {}
    counts = {}
    for line in open(f):
        m = re.match(r'inxpect_section_duration_seconds_(bucket|count)\{(.*)\} (\S+)$', line)
        if not m:
            continue
        labels = re.sub(r',?le="[^"]*"', "", m.group(2))
        if m.group(1) == "count":
            counts[labels] = float(m.group(3))
        else:
            le = re.search(r'le="([^"]*)"', m.group(2)).group(1)
            series.setdefault(labels, []).append((float(le), float(m.group(3))))
    good = bool(series)
    for labels, buckets in series.items():
        values = [v for _, v in buckets]
        les = [le for le, _ in buckets]
        good &= values == sorted(values) and les == sorted(les) and math.isinf(les[-1])
        good &= counts.get(labels) == values[-1] and values[-1] > 0
    ok += good
times = sorted(float(open(f).read()) for f in glob.glob(tmp + "/time.*"))
print("scrapes: consistent=%d/100" % ok)
print("scrape latency under 100 concurrent: p50 %.1f ms, max %.1f ms" % (1e3 * times[49], 1e3 * times[-1]), file=sys.stderr)
PY

# Debian's Prometheus scrapes it every second.
pport=$(free_port)
cat >"$tmp/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: inxpect
    static_configs:
      - targets: ["127.0.0.1:$port"]
YML
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$pport" >"$tmp/prometheus.log" 2>&1 &
pids+=($!)
query() { curl -sf "127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1" || true; }
q='histogram_quantile(0.5, sum by (le, section, prog_name) (inxpect_section_duration_seconds_bucket))'
for _ in $(seq 120); do
	r=$(query "$q")
	[[ $r == *'"section":"drop"'* ]] && break
	sleep 0.5
done
python3 -c '
import json, sys
r = json.loads(sys.argv[1])
[v] = r["data"]["result"]
p50 = float(v["value"][1])
print("prometheus: section=%s prog=%s p50_in_range=%s" % (v["metric"]["section"], v["metric"]["prog_name"], 1e-9 < p50 < 1e-4))
print("prometheus p50: %.1f ns" % (p50 * 1e9), file=sys.stderr)
' "$r"

# The Grafana dashboard's queries, of the same Prometheus.
python3 "$(dirname "$0")/dashboard_queries.py" "$dashboard" "127.0.0.1:$pport"
