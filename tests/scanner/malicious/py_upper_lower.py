# expect: py-obfuscated-call,py-dynamic-code
n = 'EXEC'.lower()
getattr(__builtins__, n)('pass')
