import os

# Settings come from the environment with defaults.
DEBUG = os.environ.get("APP_DEBUG", "0") == "1"
OUTPUT = os.getenv("OUTPUT_DIR", "out")
env = os.environ.copy()
env["LC_ALL"] = "C"
print(DEBUG, OUTPUT, sorted(env)[:3])
