# Case: read the host's /etc/passwd (shell built-ins only).
while IFS= read -r line; do
    printf '%s\n' "$line"
done < /etc/passwd
