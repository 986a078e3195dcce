# expect: py-exec-process
import subprocess as sp
sp.Popen(['uname', '-a'])
