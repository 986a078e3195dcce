# Case: a bounded fork bomb. Tries to start 300 children that sleep 20 s each, then exits
# without waiting for them. The harness checks how many started and that none survive.
import os
import sys
import time

started = 0
error = ""
for i in range(300):
    try:
        pid = os.fork()
    except OSError as e:
        error = str(e.errno)
        break
    if pid == 0:
        time.sleep(20)
        os._exit(0)
    started += 1
print("FORKED", started, "error", error, flush=True)
