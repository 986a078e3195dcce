# Case: reach os through __import__ with a computed name, then run a shell.
mod = __import__("o" + "s")
print("status", getattr(mod, "sys" + "tem")("echo SUBPROC-$((6*7))-RAN"))
