#!/bin/bash
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
[ -f input.txt ] || die "input.txt missing"
log "processing"
wc -w input.txt
