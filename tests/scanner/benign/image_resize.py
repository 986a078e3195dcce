"""Resize images in a folder with Pillow."""
import argparse
from pathlib import Path

from PIL import Image


def resize_all(src, dst, width):
    dst.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.glob("*.png")):
        with Image.open(path) as img:
            ratio = width / img.width
            img.resize((width, int(img.height * ratio))).save(dst / path.name)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("src", type=Path)
    p.add_argument("dst", type=Path)
    p.add_argument("--width", type=int, default=800)
    a = p.parse_args()
    resize_all(a.src, a.dst, a.width)
