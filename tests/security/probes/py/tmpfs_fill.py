# Case: fill a scratch folder (argv[1], /tmp or /dev/shm) with 16 MiB files, up to 160 MiB.
# The files stay under the per-file size limit, so only a size cap on the folder stops it.
# Removes its files before it exits, unless argv[3] is "keep".
import os
import sys

folder, tag = sys.argv[1], sys.argv[2]
block = b"f" * (1 << 20)
written = 0
result = "REACHED"
names = []
try:
    for i in range(10):
        name = os.path.join(folder, "sl-sec-fill-%s-%d" % (tag, i))
        names.append(name)
        with open(name, "wb") as f:
            for _ in range(16):
                f.write(block)
                f.flush()
                written += len(block)
except OSError as e:
    result = "error %d" % e.errno
print("WROTE_MB", written >> 20, result, flush=True)
for name in names if sys.argv[3:4] != ["keep"] else []:
    try:
        os.unlink(name)
    except OSError:
        pass
