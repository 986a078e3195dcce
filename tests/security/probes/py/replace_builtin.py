# Case: replace builtins (open, print) so that a check done in Python would see nothing,
# then read the canary file at argv[1]. A kernel sandbox cannot see language tricks: it
# only has to keep the file out of reach.
import builtins
import sys

real_open = builtins.open
real_print = builtins.print
builtins.open = lambda *a, **k: real_open(*a, **k)
builtins.print = lambda *a, **k: real_print("via replaced print:", *a, **k)
try:
    with open(sys.argv[1]) as f:
        print(f.read())
except OSError as e:
    print("error", e.errno)
