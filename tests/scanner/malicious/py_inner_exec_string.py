# expect: py-exec-shell,py-dynamic-code
exec("import os; os.system('id')")
