# expect: sh-dynamic-code
bash -c "$PAYLOAD"
