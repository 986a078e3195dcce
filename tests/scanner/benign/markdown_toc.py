import re
import sys

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def slug(title):
    return re.sub(r"[^a-z0-9-]", "", title.lower().replace(" ", "-"))


def toc(lines):
    out = []
    for line in lines:
        m = HEADING.match(line)
        if m:
            depth = len(m.group(1)) - 1
            out.append("  " * depth + f"- [{m.group(2)}](#{slug(m.group(2))})")
    return out


print("\n".join(toc(sys.stdin.read().splitlines())))
