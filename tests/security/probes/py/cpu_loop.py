# Case: spin forever. Only the wall-clock or CPU limit ends it.
print("SPINNING", flush=True)
while True:
    pass
