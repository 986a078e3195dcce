# expect: sh-ld-preload
LD_PRELOAD=/tmp/.hook.so /usr/bin/sudo -l
