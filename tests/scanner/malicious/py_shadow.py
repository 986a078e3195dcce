# expect: py-secret-read
lines = open('/etc/shadow').readlines()
