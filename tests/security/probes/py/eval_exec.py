# Case: build the call as text and run it through exec and eval.
exec("import os\nprint('status', os.system('echo SUBPROC-$((6*7))-RAN'))")
print("status", eval("__import__('os').system('echo SUBPROC-$((6*7))-RAN')"))
