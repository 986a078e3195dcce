import json
import os

os.makedirs("output", exist_ok=True)
with open(os.path.join("output", "result.json"), "w") as f:
    json.dump({"ok": True}, f)
with open("/tmp/skill-cache.txt", "w") as f:
    f.write("cache")
