import shlex

line = 'run --name "my file.txt" --flag'
print(shlex.split(line))
print("os.system(cmd) would be unsafe here; we only split the words")
