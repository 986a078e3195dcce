# expect: py-exec-shell
import os
out = os.popen('cat /etc/hostname').read()
