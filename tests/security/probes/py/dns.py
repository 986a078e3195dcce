# Case: DNS. Sends one query over UDP to the harness's listener on 127.0.0.1:argv[1], then
# (when argv[2] is "gai") times getaddrinfo of the made-up name argv[3], which must fail
# fast. The harness passes "nogai" where the run shares the host network, so no real
# resolver is ever asked.
import socket
import struct
import sys
import time

query = struct.pack(">HHHHHH", 0x5151, 0x0100, 1, 0, 0, 0)
for label in b"probe.example".split(b"."):
    query += bytes([len(label)]) + label
query += b"\x00" + struct.pack(">HH", 1, 1)
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(query, ("127.0.0.1", int(sys.argv[1])))
    s.close()
    print("UDP_SENT")
except OSError as e:
    print("udp error", e.errno)
if sys.argv[2] == "gai":
    start = time.monotonic()
    try:
        socket.getaddrinfo(sys.argv[3], 80)
        result = "resolved"
    except OSError as e:
        result = "failed"
    print("GAI %s %d" % (result, int((time.monotonic() - start) * 1000)))
