#!/usr/bin/env python3
"""Convert a CSV file to JSON. Reads stdin when no path is given."""
import argparse
import csv
import json
import sys


def main():
    parser = argparse.ArgumentParser(description="CSV to JSON")
    parser.add_argument("path", nargs="?", help="CSV file; stdin when omitted")
    parser.add_argument("--indent", type=int, default=2)
    args = parser.parse_args()
    stream = open(args.path, newline="") if args.path else sys.stdin
    rows = list(csv.DictReader(stream))
    json.dump(rows, sys.stdout, indent=args.indent)


if __name__ == "__main__":
    main()
