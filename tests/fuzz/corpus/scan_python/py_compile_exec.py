# expect: py-dynamic-code
src = input()
obj = compile(src, '<x>', 'exec')
exec(obj)
