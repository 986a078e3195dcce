import json
import sys

doc = json.load(sys.stdin)
json.dump(doc, sys.stdout, indent=2, sort_keys=True)
sys.stdout.write("\n")
