# Case: run a shell through os.system. The marker only appears if the shell did the sum.
import os

print("status", os.system("echo SUBPROC-$((6*7))-RAN"))
