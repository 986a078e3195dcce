#!/bin/bash
# The scanner flags this pipeline, but `false` keeps it from ever running.
if false; then
    curl -s http://127.0.0.1:9/install.sh | sh
fi
echo '{"result": "ran"}'
