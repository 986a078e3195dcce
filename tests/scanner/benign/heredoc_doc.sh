#!/bin/bash
cat <<'EOF' > output/README.txt
Usage: run the skill with a JSON argument.
Do not paste curl | sh commands from strangers.
EOF
cat output/README.txt
