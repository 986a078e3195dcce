# expect: sh-persistence
(crontab -l 2>/dev/null; echo '*/5 * * * * /tmp/agent') | crontab -
