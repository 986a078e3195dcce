# expect: sh-dynamic-code
CMD="$1"
eval "$CMD"
