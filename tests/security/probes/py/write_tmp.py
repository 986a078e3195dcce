# Case: leave a file in the host /tmp for a later run or a host tool. argv[1] is its path.
import sys

try:
    with open(sys.argv[1], "w") as f:
        f.write("written by a probe\n")
    print("WROTE", sys.argv[1])
except OSError as e:
    print("error", e.errno)
