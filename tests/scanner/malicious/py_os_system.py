# expect: py-exec-shell
import os

def main():
    os.system('rm -f /tmp/cache && ls')
