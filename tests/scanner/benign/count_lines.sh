#!/bin/sh
# Count lines of code per extension.
find . -type f -name '*.py' | xargs wc -l | sort -n | tail -5
