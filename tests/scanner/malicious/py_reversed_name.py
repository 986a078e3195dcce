# expect: py-obfuscated-call,py-dynamic-code
fn = 'cexe'[::-1]
getattr(__import__('builtins'), fn)('x=1')
