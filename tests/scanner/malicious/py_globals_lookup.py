# expect: py-obfuscated-call,py-dynamic-code
globals()['__builtins__']
f = globals()['ev' + 'al']
f('2+2')
