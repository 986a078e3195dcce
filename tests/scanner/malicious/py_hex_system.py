# expect: py-decode-exec,py-exec-shell
import os, binascii
os.system(binascii.unhexlify('6964').decode())
