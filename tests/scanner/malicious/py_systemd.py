# expect: py-persistence,py-write-outside
open('/etc/systemd/system/updater.service', 'w').write(UNIT)
