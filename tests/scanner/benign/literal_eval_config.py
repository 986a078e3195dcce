import ast

raw = "{'retries': 3, 'verbose': True}"
config = ast.literal_eval(raw)
print(config["retries"])
