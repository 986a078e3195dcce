import subprocess

out = subprocess.check_output(["git", "log", "--oneline", "-n", "20"], text=True)
for line in out.splitlines():
    print(line[:7], line[8:60])
