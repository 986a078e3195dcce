# Imported by import_clean.py: runs a shell at import time.
import os

print("status", os.system("echo SUBPROC-$((6*7))-RAN"))
