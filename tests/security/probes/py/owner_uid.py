# Case: which host uid does the payload write files as? Creates "owner" in the output
# folder (argv[1], or the host folder argv[2] at level 1); the harness checks its owner.
import os
import sys

out = sys.argv[1] if os.path.isdir(sys.argv[1]) else sys.argv[2]
with open(os.path.join(out, "owner"), "w") as f:
    f.write("uid inside %d\n" % os.getuid())
print("UID_INSIDE", os.getuid())
