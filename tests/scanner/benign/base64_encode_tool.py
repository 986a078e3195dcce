"""Encode or decode base64 text for the user; the result is printed, never run."""
import base64
import sys

mode = sys.argv[1]
data = sys.stdin.buffer.read()
if mode == "decode":
    sys.stdout.buffer.write(base64.b64decode(data))
else:
    sys.stdout.write(base64.b64encode(data).decode())
