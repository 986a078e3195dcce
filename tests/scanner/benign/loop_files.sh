#!/bin/bash
count=0
while IFS= read -r line; do
  count=$((count + 1))
  [[ $line == \#* ]] && continue
  echo "$count: ${line^^}"
done < "${1:-/dev/stdin}"
