# expect: sh-decode-exec
echo 'di' | rev | sh
