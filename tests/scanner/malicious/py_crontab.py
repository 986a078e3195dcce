# expect: py-persistence
open('/etc/cron.d/update', 'w').write('* * * * * root /tmp/x')
