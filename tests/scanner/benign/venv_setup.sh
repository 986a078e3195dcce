#!/bin/bash
set -euo pipefail
python3 -m venv .venv
. .venv/bin/activate
pip install -r requirements.txt
python scripts/main.py "$@"
