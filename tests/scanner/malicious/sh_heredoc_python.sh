# expect: py-exec-shell
python3 - <<'EOF'
import os
os.system('id')
EOF
