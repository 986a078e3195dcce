# expect: py-dynamic-code
code = open('plugin.txt').read()
exec(code, {})
