# expect: py-obfuscated-call,py-exec-shell
import os
n = bytes.fromhex('73797374656d').decode()
getattr(os, n)('id')
