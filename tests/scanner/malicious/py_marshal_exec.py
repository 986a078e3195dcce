# expect: py-decode-exec,py-unsafe-deserialize
import marshal
code = marshal.loads(bytes.fromhex(HEX))
exec(code)
