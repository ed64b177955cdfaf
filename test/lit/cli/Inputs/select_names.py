"""Whether the programs `inxpect top` printed (jsonl, argv[1]) hold ours
(bpftool's JSON, argv[2:]), and which names they have."""
import json
import sys

programs = [p for line in open(sys.argv[1]) for p in json.loads(line)["programs"]]
ours = {json.load(open(f))["id"] for f in sys.argv[2:]}
print("ours=%s names=%s" % (ours <= {p["id"] for p in programs},
                            ",".join(sorted({p["name"] for p in programs}))))
