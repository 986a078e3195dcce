# expect: py-secret-read
with open('.env') as f:
    secrets = f.read()
