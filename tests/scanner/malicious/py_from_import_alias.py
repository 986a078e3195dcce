# expect: py-exec-shell
from os import system as run
run('id')
