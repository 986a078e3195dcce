# Case: connect to an abstract Unix socket that the harness listens on (argv[1] is its name
# without the leading NUL). Abstract names are shared by everything in a network namespace.
import socket
import sys

try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect("\0" + sys.argv[1])
    s.sendall(b"hello from the sandbox")
    print("CONNECTED")
    s.close()
except OSError as e:
    print("error", e.errno, e)
