#!/bin/bash
# Remove this skill's temporary files only.
rm -rf ./tmp ./output/*.partial
rm -f /tmp/skill-cache.txt
