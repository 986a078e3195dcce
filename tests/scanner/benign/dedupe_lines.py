import sys

seen = set()
for line in sys.stdin:
    key = line.rstrip("\n")
    if key not in seen:
        seen.add(key)
        sys.stdout.write(line)
