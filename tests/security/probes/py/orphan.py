# Case: leave a daemon behind. Double fork and setsid, so the grandchild belongs to no
# process group or session of the run; it sleeps 20 s. The harness looks for it after.
import os
import time

pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(20)
        os._exit(0)
    os._exit(0)
os.waitpid(pid, 0)
print("DAEMON_STARTED", flush=True)
