# expect: py-obfuscated-call,py-exec-shell
import importlib
mod = importlib.import_module(''.join(['sub', 'process']))
mod.getoutput('id')
