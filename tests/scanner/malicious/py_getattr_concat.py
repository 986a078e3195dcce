# expect: py-obfuscated-call,py-dynamic-code
import builtins
f = getattr(builtins, 'ex' + 'ec')
f('print(1)')
