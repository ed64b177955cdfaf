"""no_controls.py [--json]: passes stdin to stdout, and fails when it holds a
byte that could drive a terminal (a C0 control but newline and tab, DEL, a
C1 control) or is not UTF-8; with --json, also when it is not one JSON
document."""
import json
import sys

data = sys.stdin.buffer.read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("not UTF-8: {}".format(e))
bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0]
if bad:
    sys.exit("control characters in the output: {!r}".format(bad))
if "--json" in sys.argv:
    json.loads(text)
sys.stdout.write(text)
