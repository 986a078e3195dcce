#!/bin/sh
jq -r '.items[] | select(.active) | .name' "${1:-data.json}"
