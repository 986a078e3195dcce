# expect: py-decode-exec,py-dynamic-code
import codecs
exec(codecs.decode('vzcbeg bf', 'rot13'))
