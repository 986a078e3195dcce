# Case: list / to learn about the host. Effect: a host-only top-level name shows up.
import os

for name in sorted(os.listdir("/")):
    print("DIR:" + name)
