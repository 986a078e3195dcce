# expect: py-secret-read
import os
p = os.path.join(os.path.expanduser('~'), '.aws', 'credentials')
data = open(p).read()
