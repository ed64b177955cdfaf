# How many executions the reports of one program measured in one section,
# from inxpect attach's JSON output (one report per interval, concatenated):
#   measured.py REPORTS PROG_ID SECTION           the count
#   measured.py REPORTS PROG_ID SECTION --all N   "measured=all True" when
#       the count equals the kernel's runs noted in the reports (every run
#       enters the section) and they are at least N, else what differs
# Only program PROG_ID's reports count: --name and --tag also select the
# same object loaded by anyone else meanwhile.
import json
import re
import sys

text, dec, at, measured, runs = open(sys.argv[1]).read(), json.JSONDecoder(), 0, 0, 0
while True:
    while at < len(text) and text[at].isspace():
        at += 1
    if at == len(text):
        break
    doc, at = dec.raw_decode(text, at)
    if doc["object"] == "program " + sys.argv[2]:
        measured += sum(s["measured"] for s in doc["sections"] if s["name"] == sys.argv[3])
        runs += sum(int(m) for n in doc["notes"] for m in re.findall(r"^kernel: (\d+) runs", n))
if sys.argv[4:5] == ["--all"]:
    least = int(sys.argv[5])
    print("measured=%s" % ("all %s" % (runs >= least) if measured == runs else "%d of %d" % (measured, runs)))
else:
    print(measured)
