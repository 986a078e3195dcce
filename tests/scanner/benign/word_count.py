import collections
import re
import sys

WORD = re.compile(r"[A-Za-z']+")


def count(text):
    return collections.Counter(w.lower() for w in WORD.findall(text))


if __name__ == "__main__":
    data = sys.stdin.read()
    for word, n in count(data).most_common(20):
        print(f"{n:6d} {word}")
