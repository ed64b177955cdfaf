"""Prints the source of the line with the largest share in inxpect
annotate's text output (argv[1])."""
import re
import sys

rows = [(float(m.group(1)), m.group(2))
        for m in re.finditer(r"^ +([0-9.]+)%.*?[|-] (.*)$", open(sys.argv[1]).read(), re.M)]
print("hottest:", max(rows)[1])
