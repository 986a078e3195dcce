# Case: symbolic links in the writable output folder. argv[1] is the output folder as the
# run sees it, argv[2] a host file outside it. Writes through a link the harness planted
# earlier (pre-link, pointing at argv[2]) and through a new link to argv[2].
import os
import sys

out, target = sys.argv[1], sys.argv[2]
if not os.path.isdir(out):
    out = sys.argv[3]  # level 1 has no /output; the host folder is reachable directly
for name in ("pre-link", "new-link"):
    p = os.path.join(out, name)
    try:
        if name == "new-link":
            os.symlink(target, p)
        with open(p, "a") as f:
            f.write("CHANGED-THROUGH-" + name + "\n")
        print("WROTE", p)
    except OSError as e:
        print(name, "error", e.errno)
