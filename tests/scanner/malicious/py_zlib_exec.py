# expect: py-decode-exec,py-dynamic-code
import zlib, base64
exec(zlib.decompress(base64.b64decode(DATA)))
