# expect: sh-destructive
rm -rf ~/
