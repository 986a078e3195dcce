# Case: kill a host process whose pid the harness passes in argv[1].
import os
import sys

try:
    os.kill(int(sys.argv[1]), 9)
    print("KILLED")
except OSError as e:
    print("error", e.errno)
