# Case: open a server on 127.0.0.1:argv[1] and wait for the harness to connect from the host.
import socket
import sys

try:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen(4)
    s.settimeout(2.0)
    print("LISTENING", flush=True)
    c, _ = s.accept()
    print("ACCEPTED")
    c.close()
except OSError as e:
    print("error", e.errno, e)
