# expect: sh-decode-exec
echo 69640a | xxd -r -p | sh
