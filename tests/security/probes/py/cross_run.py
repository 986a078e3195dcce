# Case: scratch space shared between runs. "write PATH" leaves a marker file in the run's
# /tmp; a later run with "read PATH" prints what it finds there.
import sys

mode, path = sys.argv[1], sys.argv[2]
try:
    if mode == "write":
        with open(path, "w") as f:
            f.write("LEFT-BY-AN-EARLIER-RUN\n")
        print("WROTE")
    else:
        with open(path) as f:
            print("FOUND", f.read())
except OSError as e:
    print("error", e.errno)
