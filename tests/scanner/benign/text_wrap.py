import sys
import textwrap

width = int(sys.argv[1]) if len(sys.argv) > 1 else 72
for para in sys.stdin.read().split("\n\n"):
    print(textwrap.fill(para, width=width))
    print()
