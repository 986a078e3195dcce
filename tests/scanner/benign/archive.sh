#!/bin/bash
set -e
stamp=$(date +%Y%m%d)
tar -czf "output/backup-$stamp.tar.gz" data/
ls -lh output/
