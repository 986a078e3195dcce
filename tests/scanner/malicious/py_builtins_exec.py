# expect: py-dynamic-code
import builtins
builtins.exec(payload)
