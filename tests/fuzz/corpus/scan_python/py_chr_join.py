# expect: py-obfuscated-call,py-exec-shell
name = ''.join(chr(c) for c in [111, 115])
__import__(name).system('id')
