#!/usr/bin/env bash
set -euo pipefail
mkdir -p output
for f in docs/*.md; do
  name=$(basename "$f" .md)
  pandoc "$f" -o "output/$name.html"
done
echo "built $(ls output | wc -l) pages"
