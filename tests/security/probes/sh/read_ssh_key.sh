# Case: read the caller's SSH private key; $1 is the host HOME.
for p in "$HOME/.ssh/id_rsa" "$1/.ssh/id_rsa" /root/.ssh/id_rsa; do
    if IFS= read -r line < "$p"; then
        printf '%s %s\n' "$p" "$line"
    else
        printf '%s unreadable\n' "$p"
    fi
done
