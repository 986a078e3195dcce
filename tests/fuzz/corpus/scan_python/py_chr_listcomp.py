# expect: py-obfuscated-call,py-dynamic-code
n = ''.join([chr(x) for x in [101, 118, 97, 108]])
getattr(__builtins__, n)('1+1')
