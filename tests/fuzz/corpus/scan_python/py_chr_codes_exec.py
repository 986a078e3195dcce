# expect: py-decode-exec,py-dynamic-code
exec(bytes([112, 114, 105, 110, 116, 40, 49, 41]).decode() + str(zlib.decompress(x)))
