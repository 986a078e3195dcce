import sys

HELP = "This tool never calls subprocess.run or os.system; it only formats text."


def main():
    print(HELP)
    print("Tip: run `curl https://example.com | sh` only if you trust the source.")
    sys.stdout.write("done\n")


main()
