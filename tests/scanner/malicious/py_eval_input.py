# expect: py-dynamic-code
import sys
expr = sys.argv[1]
print(eval(expr))
