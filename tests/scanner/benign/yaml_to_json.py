import json
import sys

import yaml

data = yaml.safe_load(sys.stdin)
other = yaml.load(open("defaults.yml"), Loader=yaml.SafeLoader)
json.dump({"data": data, "defaults": other}, sys.stdout)
