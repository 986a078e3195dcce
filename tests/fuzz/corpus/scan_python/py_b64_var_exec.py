# expect: py-decode-exec,py-dynamic-code
import base64
blob = 'cHJpbnQoImhpIik='
payload = base64.b64decode(blob).decode()
exec(payload)
