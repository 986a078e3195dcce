# expect: py-obfuscated-call,py-exec-shell
m = __import__('o' + 's')
m.system('id')
