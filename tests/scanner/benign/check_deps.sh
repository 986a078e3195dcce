#!/bin/sh
for cmd in jq pandoc python3; do
  command -v "$cmd" >/dev/null 2>&1 || echo "missing: $cmd"
done
