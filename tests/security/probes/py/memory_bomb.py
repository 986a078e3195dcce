# Case: allocate and touch 1 GiB in 16 MiB steps. The harness runs it with a smaller
# memory limit; "REACHED" means the limit did not hold.
import sys

chunks = []
for i in range(64):
    chunks.append(b"x" * (16 << 20))
    print("ALLOC_MB", (i + 1) * 16, flush=True)
print("REACHED")
