# Case: print 3 MiB, three times the default stdout cap.
import sys

line = "o" * 1023 + "\n"
for _ in range(3 * 1024):
    sys.stdout.write(line)
