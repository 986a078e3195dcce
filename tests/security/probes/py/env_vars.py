# Case: read the environment. Prints every variable.
import os

for k, v in sorted(os.environ.items()):
    print("ENV %s=%s" % (k, v))
