#!/bin/sh
awk -F, 'NR > 1 { sum += $3; n++ } END { if (n) printf "mean %.2f\n", sum / n }' "$1"
