# expect: py-exec-shell
import subprocess
subprocess.run('id; whoami', shell=True)
