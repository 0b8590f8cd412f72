import sys

from . import write_all

for path in write_all(sys.argv[1] if len(sys.argv) > 1 else "."):
    print(path)
