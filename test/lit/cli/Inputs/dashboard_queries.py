"""Every PromQL expression of the Grafana dashboard (examples/grafana),
asked of a running Prometheus through its HTTP API: each must parse, and
each must return data once Prometheus has scraped inxpect serve a few
times.  Grafana's own variables get what "All" would give; the panel
repeated per hardware event is asked with the runs counter standing in for
an event (programs loaded by others measure ktime alone).  Prints one line
for FileCheck, and what failed.

    dashboard_queries.py DASHBOARD.json HOST:PORT
"""
import json
import re
import sys
import time
import urllib.parse
import urllib.request

path, prometheus = sys.argv[1:3]
dash = json.load(open(path))

exprs = []


def walk(panels):
    for p in panels:
        exprs.extend(t["expr"] for t in p.get("targets", []))
        walk(p.get("panels", []))


walk(dash["panels"])
panels = len(exprs)
# The variables' queries are Grafana's functions over PromQL.
for v in dash["templating"]["list"]:
    if v["type"] != "query":
        continue
    q = v["query"]["query"]
    m = re.fullmatch(r"label_values\((.*), (\w+)\)", q)
    if m:
        exprs.append("count by (%s) (%s)" % (m.group(2), m.group(1)))
        continue
    m = re.fullmatch(r"metrics\((.*)\)", q)
    if m:
        exprs.append('count by (__name__) ({__name__=~"%s"})' % m.group(1))
        continue
    exprs.append(q)

subst = {"$__rate_interval": "10s", "${event}": "runs", "$instance": ".*", "$prog_name": ".*"}


def concrete(expr):
    for k, v in subst.items():
        expr = expr.replace(k, v)
    return expr


def ask(expr):
    url = "http://%s/api/v1/query?%s" % (prometheus, urllib.parse.urlencode({"query": expr}))
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)


results = {}
end = time.time() + 60
while time.time() < end:
    results = {e: ask(concrete(e)) for e in exprs}
    if all(r["status"] == "success" and r["data"]["result"] for r in results.values()):
        break
    time.sleep(1)
valid = sum(r["status"] == "success" for r in results.values())
data = sum(r["status"] == "success" and bool(r["data"]["result"]) for r in results.values())
print("dashboard: panels' exprs=%d variables=%d valid=%d/%d with data=%d/%d" % (
    panels, len(exprs) - panels, valid, len(exprs), data, len(exprs)))
for e, r in results.items():
    if r["status"] != "success" or not r["data"]["result"]:
        print("no data: %s -> %s" % (concrete(e), r.get("error", "empty")), file=sys.stderr)
