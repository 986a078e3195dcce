#!/bin/sh
sed -e 's/colour/color/g' -e 's/behaviour/behavior/g' "$1" > "output/$(basename "$1")"
