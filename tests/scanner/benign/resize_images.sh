#!/bin/bash
shopt -s nullglob
mkdir -p output
for img in input/*.jpg; do
  convert "$img" -resize 800x "output/$(basename "$img")"
done
