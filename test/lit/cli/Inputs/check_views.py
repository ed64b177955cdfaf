"""Checks inxpect's folded, pprof and SVG outputs of one run against its
JSON report: each path's exclusive total, and each frame's tooltip.
usage: check_views.py REPORT.json FOLDED SVG [PPROF.pb.gz]"""
import gzip
import json
import re
import sys
import xml.etree.ElementTree as ET


def varint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return v, i


def fields(b):
    """A protobuf message's fields: (number, value) in order, no schema."""
    i, out = 0, []
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wt)
        out.append((num, v))
    return out


def packed(v):
    if isinstance(v, int):
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = varint(v, i)
        out.append(x)
    return out


report = json.load(open(sys.argv[1]))
ev = report["events"][0]["name"]
prog = report["program"]
want = {}
for p in report["paths"]:
    want[prog + ";" + p["path"]] = p["events"][ev]["exclusive_mean"] * p["executions"]

folded = {}
for line in open(sys.argv[2]):
    stack, w = line.rsplit(" ", 1)
    folded[stack] = int(w)
for stack, w in folded.items():
    assert abs(w - want[stack]) <= 1, (stack, w, want[stack])
assert sum(1 for v in want.values() if round(v) > 0) == len(folded), (want, folded)
print("folded: %d stacks match" % len(folded))

svg = ET.parse(sys.argv[3]).getroot()  # well-formed XML
ns = "{http://www.w3.org/2000/svg}"
frames = svg.findall(ns + "g")
totals = {}
for g in frames:
    title = g.find(ns + "title").text
    totals[g.get("data-name")] = float(g.get("data-total"))
    if g.get("data-d") != "0":
        sec = next(s for s in report["sections"] if s["name"] == g.get("data-name"))
        loc = "%s:%d" % (sec["file"], sec["line"])
        assert loc in title, (title, loc)
root = sum(want.values())
assert abs(totals[prog] - root) <= 0.01 * root + 1, (totals[prog], root)
assert svg.find(ns + "script") is not None
print("svg: %d frames, tooltips with file:line, root total matches" % len(frames))

if len(sys.argv) > 4:
    prof = fields(gzip.open(sys.argv[4]).read())
    strings = [v.decode() for n, v in prof if n == 6]
    funcs = {}
    for n, v in prof:
        if n == 5:
            f = dict(fields(v))
            funcs[f[1]] = strings[f.get(2, 0)]
    locs = {}
    for n, v in prof:
        if n == 4:
            f = fields(v)
            lid = dict(f)[1]
            line = dict(fields(dict(f)[4]))
            locs[lid] = funcs[line[1]]
    samples = {}
    for n, v in prof:
        if n == 2:
            f = fields(v)
            ids = [x for k, val in f if k == 1 for x in packed(val)]
            vals = [x for k, val in f if k == 2 for x in packed(val)]
            samples[";".join(locs[i] for i in reversed(ids))] = vals[0]
    for stack, w in samples.items():
        assert abs(w - want[stack]) <= 1, (stack, w, want[stack])
    print("pprof: %d samples match" % len(samples))
