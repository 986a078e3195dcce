#!/bin/sh
today="$(date -u +%F)"
files=`ls data | wc -l`
echo "report for $today: $files files" > output/report.txt
