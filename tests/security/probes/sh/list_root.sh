# Case: list / to learn about the host.
for f in /* /.[!.]*; do
    [ -e "$f" ] && printf 'DIR:%s\n' "${f#/}"
done
