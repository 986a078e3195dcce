# expect: py-secret-read
import os
key = open(os.path.expanduser('~/.ssh/id_rsa')).read()
