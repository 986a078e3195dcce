# expect: sh-destructive,sh-privilege
sudo rm -rf --no-preserve-root /
