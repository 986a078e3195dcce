# expect: py-decode-exec,py-unsafe-deserialize
import pickle, base64
obj = pickle.loads(base64.b64decode(BLOB))
