#!/bin/sh
git log --since="1 month ago" --pretty=format:'%an' | sort | uniq -c | sort -rn
