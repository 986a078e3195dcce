#!/bin/sh
grep -rn --include='*.py' 'TODO' . | cut -c1-120 | sort | uniq -c | sort -rn | head -20
