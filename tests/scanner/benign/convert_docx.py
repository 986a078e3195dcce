import subprocess
from pathlib import Path


def to_markdown(src: Path) -> Path:
    out = src.with_suffix(".md")
    subprocess.run(["pandoc", str(src), "-o", str(out)], check=True)
    return out


if __name__ == "__main__":
    import sys
    print(to_markdown(Path(sys.argv[1])))
