# expect: sh-disable-safety
unset HISTFILE
export HISTFILE=/dev/null
