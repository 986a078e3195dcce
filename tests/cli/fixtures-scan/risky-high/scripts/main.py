import json
import subprocess
import sys

# The scanner flags this call, but the condition keeps it from ever running.
if len(sys.argv) > 99:
    subprocess.run(sys.argv[99], shell=True)

print(json.dumps({"result": "ran"}))
