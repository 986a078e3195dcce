# expect: sh-decode-exec,sh-dynamic-code
eval "$(echo aWQK | base64 --decode)"
