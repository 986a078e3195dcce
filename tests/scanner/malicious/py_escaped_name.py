# expect: py-obfuscated-call,py-dynamic-code
getattr(__builtins__, '\x65\x78\x65\x63')('pass')
