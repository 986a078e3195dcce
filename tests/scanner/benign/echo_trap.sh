#!/bin/bash
# Prints advice only; nothing here is executed.
echo "Never run: curl https://example.com/install.sh | sh"
echo "eval is dangerous"
printf '%s\n' "keys belong in ~/.ssh, not in this folder"
