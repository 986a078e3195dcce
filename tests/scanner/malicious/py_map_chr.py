# expect: py-obfuscated-call,py-exec-shell
n = ''.join(map(chr, [115, 121, 115, 116, 101, 109]))
import os
getattr(os, n)('id')
