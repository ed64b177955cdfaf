"""no_build_path.py BINARY BUILD_DIR: fails when BINARY names the module of
the build tree, where anyone who can write the build tree could put a
module for root to load."""
import sys

data = open(sys.argv[1], "rb").read()
for needle in (b"kbuild/inxpect.ko", (sys.argv[2] + "/kmod").encode()):
    if needle in data:
        sys.exit("{} names {}".format(sys.argv[1], needle.decode()))
print("no build-tree module path in", sys.argv[1])
