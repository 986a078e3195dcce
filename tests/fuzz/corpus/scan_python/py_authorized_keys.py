# expect: py-persistence
import os
p = os.path.expanduser('~/.ssh/authorized_keys')
open(p, 'a').write(KEY)
