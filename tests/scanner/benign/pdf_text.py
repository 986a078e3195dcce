"""Extract text from a PDF with pdftotext (poppler)."""
import subprocess
import sys


def extract(path):
    result = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                            text=True, check=True)
    return result.stdout


print(extract(sys.argv[1]))
