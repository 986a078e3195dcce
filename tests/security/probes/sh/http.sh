# Case: connect to the harness's listener on 127.0.0.1:$1 through bash's /dev/tcp.
if exec 3<>"/dev/tcp/127.0.0.1/$1"; then
    printf 'GET /exfiltrate HTTP/1.0\r\n\r\n' >&3
    exec 3>&-
    echo SENT
fi
