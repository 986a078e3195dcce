#!/bin/sh
node scripts/index.js "$@"
