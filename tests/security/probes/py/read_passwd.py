# Case: read the host's /etc/passwd. Effect: a host line the sandbox's own file lacks.
with open("/etc/passwd") as f:
    print(f.read())
