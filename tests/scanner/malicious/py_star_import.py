# expect: py-exec-shell
from os import *
system('id')
