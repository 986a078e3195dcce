# Case: start a program through subprocess. The marker only appears if the shell ran.
import subprocess

try:
    r = subprocess.run(["/bin/sh", "-c", "echo SUBPROC-$((6*7))-RAN"], capture_output=True,
                       timeout=5)
    print(r.stdout.decode(), "status", r.returncode)
except OSError as e:
    print("error", e.errno)
