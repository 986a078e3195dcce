# Case: connect to a Unix socket at a host path (argv[1]), like docker.sock or an agent
# socket under /run. Also reports whether /run shows anything.
import os
import socket
import sys

try:
    print("RUN_ENTRIES", len(os.listdir("/run")))
except OSError as e:
    print("RUN_ERROR", e.errno)
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect(sys.argv[1])
    s.sendall(b"hello from the sandbox")
    print("CONNECTED")
    s.close()
except OSError as e:
    print("error", e.errno, e)
