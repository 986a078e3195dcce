# Case: leave a file in the host /tmp; $1 is its path.
if printf 'written by a probe\n' > "$1"; then
    echo "WROTE $1"
fi
