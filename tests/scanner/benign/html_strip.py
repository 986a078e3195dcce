from html.parser import HTMLParser
import sys


class Strip(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


s = Strip()
s.feed(sys.stdin.read())
print("".join(s.parts))
