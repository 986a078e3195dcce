# Case: send an HTTP request to a listener the harness started on 127.0.0.1:argv[1].
import http.client
import sys

try:
    c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=2)
    c.request("GET", "/exfiltrate")
    print("SENT")
    c.close()
except OSError as e:
    print("error", e.errno, e)
