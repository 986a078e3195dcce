# Case: climb out of the skill folder with ../ to a file the harness wrote next to it.
# argv[1] is the relative path, argv[2] a longer ../../.. variant.
import sys

for p in sys.argv[1:3]:
    try:
        with open(p) as f:
            print(p, f.read())
    except OSError as e:
        print(p, "error", e.errno)
