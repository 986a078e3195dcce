# expect: sh-decode-exec
printf '\x69\x64' | sh
